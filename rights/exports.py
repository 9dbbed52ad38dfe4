"""Data Saya: the ZIP of everything the site holds about one person.

UU PDP 27/2022 art. 32 (access to a copy) and 13 (portability: a structured,
machine-readable form). The ZIP holds ``data.json`` (the machine-readable
copy), ``index.html`` (the same, readable) and ``images/`` (the originals of
the person's avatar and covers). Other people appear only by their public
name and username (commenters on one's articles are not listed, the people
one follows or who follow one are), and staff are never named: a decision
is "a moderator"'s. Built by the task worker (rights.tasks.build_export),
which records its progress on the ``DataExport`` row.
"""

import json
import os
import tempfile
import zipfile
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.crypto import get_random_string

from accounts.models import Follow
from api.models import AccessToken
from articles.models import Article, ArticleRevision, BodyImage, Correction, Rating
from comments.models import Comment, CommentLike
from moderation.models import ModerationAction, Report, TargetType
from notifications.models import Notification
from readinglist.models import Bookmark

from .models import ConsentChange, CorrectionRequest, DataExport, PersonalDataAccess

# A finished export can be downloaded for this long (the signed link's life too).
EXPORT_LIFETIME = timedelta(hours=48)


def storage() -> FileSystemStorage:
    """Exports live outside MEDIA_ROOT (which the web server serves to anyone):
    they are only ever sent by the signed download view."""
    return FileSystemStorage(location=settings.RIGHTS_EXPORT_ROOT)


def _public(person) -> dict | None:
    """Another person as the site shows them to everyone."""
    if person is None:
        return None
    return {"name": person.name, "username": person.username}


def _image(path_in_media: str, images: dict) -> str | None:
    """Remember a media file to copy into the ZIP; returns its name there."""
    if not path_in_media:
        return None
    name = f"images/{len(images) + 1:04d}-{os.path.basename(path_in_media)}"
    images[name] = path_in_media
    return name


def collect(user) -> tuple[dict, dict]:
    """Everything about ``user``, as plain data, and the media files to include."""
    images: dict[str, str] = {}
    profile = {
        "username": user.username,
        "display_name": user.display_name,
        "email": user.email,
        "email_addresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary}
            for a in EmailAddress.objects.filter(user=user).order_by("pk")
        ],
        "first_name": user.first_name,
        "last_name": user.last_name,
        "occupation": user.get_occupation_display(),
        "tagline": user.tagline,
        "bio": user.bio,
        "avatar": _image(user.avatar.name, images),
        "is_verified": user.is_verified,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
        "suspended_until": user.suspended_until,
        "suspended_indefinitely": user.suspended_indefinitely,
    }
    articles = []
    revisions: dict[int, list] = {}
    for revision in ArticleRevision.objects.filter(article__author=user).order_by(
        "article_id", "created_at", "pk"
    ):
        revisions.setdefault(revision.article_id, []).append(
            {
                "kind": revision.get_kind_display(),
                "created_at": revision.created_at,
                "title": revision.title,
                "excerpt": revision.excerpt,
                "body": revision.body,
            }
        )
    corrections: dict[int, list] = {}
    for correction in Correction.objects.filter(article__author=user).order_by("created_at"):
        corrections.setdefault(correction.article_id, []).append(
            {"note": correction.note, "created_at": correction.created_at}
        )
    photos: dict[int | None, list] = {}
    for photo in BodyImage.objects.filter(owner=user).order_by("created_at", "pk"):
        photos.setdefault(photo.article_id, []).append(
            {
                "file": _image(photo.name, images),
                "alt": photo.alt,
                "caption": photo.caption,
                "uploaded_at": photo.created_at,
            }
        )
    for article in (
        Article.objects.filter(author=user)
        .select_related("topic", "series")
        .prefetch_related("tags")
        .order_by("created_at", "pk")
    ):
        articles.append(
            {
                "id": article.pk,
                "title": article.title,
                "status": article.get_status_display(),
                "url": article.get_absolute_url() if article.is_public else None,
                "topic": article.topic.name if article.topic_id else None,
                "series": article.series.title if article.series_id else None,
                "tags": sorted(tag.name for tag in article.tags.all()),
                "excerpt": article.excerpt,
                "body_html": article.body_html,
                "cover": _image(article.cover.name, images),
                "cover_caption": article.cover_caption,
                "cover_credit": article.cover_credit,
                "created_at": article.created_at,
                "published_at": article.published_at,
                "updated_at": article.updated_at,
                "views": article.view_count,
                "comments": article.comment_count,
                "revisions": revisions.get(article.pk, []),
                "corrections": corrections.get(article.pk, []),
                "photos": photos.pop(article.pk, []),
            }
        )
    comments = [
        {
            "id": comment.pk,
            "article": comment.article.title,
            "body": comment.body,
            "status": comment.get_status_display(),
            "hidden_reason": comment.hidden_reason,
            "created_at": comment.created_at,
            "edited_at": comment.edited_at,
        }
        for comment in Comment.objects.filter(author=user)
        .select_related("article")
        .only("pk", "body", "status", "hidden_reason", "created_at", "edited_at", "article__title")
        .order_by("created_at", "pk")
    ]
    ratings = [
        {"article": r.article.title, "rating": r.get_label_display(), "at": r.created_at}
        for r in Rating.objects.filter(user=user)
        .select_related("article")
        .only("label", "created_at", "article__title")
        .order_by("created_at")
    ]
    reading_list = [
        {"article": b.article.title, "url": b.article.get_absolute_url(), "saved": b.created_at}
        for b in Bookmark.objects.filter(reader=user)
        .select_related("article")
        .only("created_at", "article__title", "article__slug")
        .order_by("created_at", "pk")
    ]
    comment_likes = [
        {
            "comment": like.comment.body[:200],
            "article": like.comment.article.title,
            "at": like.created_at,
        }
        for like in CommentLike.objects.filter(reader=user)
        .select_related("comment__article")
        .only("created_at", "comment__body", "comment__article__title")
        .order_by("created_at", "pk")
    ]
    following = [
        {**_public(f.author), "since": f.created_at}
        for f in Follow.objects.filter(follower=user).select_related("author").order_by("pk")
    ]
    followers = [
        {**_public(f.follower), "since": f.created_at}
        for f in Follow.objects.filter(author=user).select_related("follower").order_by("pk")
    ]
    reports = [
        {
            "about": TargetType(report.target_kind).label,
            "what": report.snapshot_label,
            "reason": report.get_reason_display(),
            "details": report.details,
            "status": report.get_status_display(),
            "created_at": report.created_at,
            "resolved_at": report.resolved_at,
        }
        for report in Report.objects.filter(reporter=user).order_by("created_at", "pk")
    ]
    decisions = [
        {
            "decision": action.get_kind_display(),
            "about": TargetType(action.case.target_kind).label,
            "rule": action.get_rule_display() if action.rule else "",
            "reason": action.public_reason,
            "suspended_until": action.suspended_until,
            "at": action.created_at,
            # Never the moderator's name: staff are not other readers' business.
            "by": "moderator" if action.moderator_id else "automatic",
        }
        for action in ModerationAction.objects.about_owner(user).order_by("created_at", "pk")
    ]
    notifications = [
        {
            "kind": n.get_kind_display(),
            "by": _public(n.actor),
            "article": n.article.title if n.article_id else None,
            "created_at": n.created_at,
            "read_at": n.read_at,
        }
        for n in Notification.objects.filter(recipient=user)
        .select_related("actor", "article")
        .only(
            "kind",
            "created_at",
            "read_at",
            "actor__username",
            "actor__display_name",
            "article__title",
        )
        .order_by("created_at", "pk")
    ]
    tokens = [
        {
            "name": t.name,
            "prefix": t.prefix,
            "scopes": t.scopes,
            "created_at": t.created_at,
            "last_used_at": t.last_used_at,
            "revoked_at": t.revoked_at,
        }
        for t in AccessToken.objects.filter(user=user).order_by("created_at")
    ]
    consent = [
        {"purpose": c.get_purpose_display(), "agreed": c.granted, "at": c.changed_at}
        for c in ConsentChange.objects.filter(user=user).order_by("changed_at", "pk")
    ]
    corrections_asked = [
        {
            "what": c.what,
            "status": c.get_status_display(),
            "received": c.created_at,
            "due": c.due_at,
            "closed": c.closed_at,
            "answer": c.answer,
        }
        for c in CorrectionRequest.objects.filter(user=user).order_by("created_at")
    ]
    data = {
        "generated_at": timezone.now(),
        "site": settings.SITE_NAME,
        "profile": profile,
        "articles": articles,
        # Photos uploaded for no article yet, or for someone else's.
        "other_photos": [photo for rest in photos.values() for photo in rest],
        "comments": comments,
        "ratings": ratings,
        "reading_list": reading_list,
        "comment_likes": comment_likes,
        "following": following,
        "followers": followers,
        "reports_made": reports,
        "moderation_decisions": decisions,
        "notifications": notifications,
        "api_tokens": tokens,
        "consent_history": consent,
        "correction_requests": corrections_asked,
        "staff_access_log": staff_access_log(user),
    }
    return data, images


def staff_access_log(user) -> list:
    """Staff views of this person's personal data (filled by rights.access_log)."""
    return [
        {"what": entry.get_kind_display(), "at": entry.created_at, "by": "staff"}
        for entry in PersonalDataAccess.objects.filter(subject=user).order_by("created_at")
    ]


def build(export: DataExport) -> DataExport:
    """Collect, write the ZIP and store it; record progress along the way."""

    def progress(percent: int, **fields) -> None:
        DataExport.objects.filter(pk=export.pk).update(progress=percent, **fields)

    user = export.user
    progress(5, status=DataExport.Status.BUILDING)
    data, images = collect(user)
    progress(40)
    with translation.override(settings.LANGUAGE_CODE):
        index = render_to_string("rights/export_index.html", {"data": data, "user": user})
    with tempfile.TemporaryFile() as handle:
        with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(
                "data.json",
                json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
            )
            archive.writestr("index.html", index)
            progress(60)
            for done, (name, source) in enumerate(images.items(), start=1):
                try:
                    with default_storage.open(source, "rb") as image:
                        archive.writestr(name, image.read())
                except OSError:
                    archive.writestr(f"{name}.missing.txt", "This file is no longer stored.\n")
                progress(60 + 35 * done // len(images))
        size = handle.tell()
        handle.seek(0)
        name = f"{user.pk}/{get_random_string(32)}.zip"
        stored = storage().save(name, File(handle, name=name))
    now = timezone.now()
    DataExport.objects.filter(pk=export.pk).update(
        status=DataExport.Status.READY,
        progress=100,
        file_name=stored,
        size=size,
        finished_at=now,
        expires_at=now + EXPORT_LIFETIME,
    )
    export.refresh_from_db()
    return export
