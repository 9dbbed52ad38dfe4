"""Writes for notifications. Other apps' services call the ``notify_*`` and
``withdraw_*`` functions when something happens; the notifications page calls
``mark_*``; the email task calls ``send_pending_email``.

Rules kept here, for every caller:

- Nobody is told about what they did themselves (the actor is left out, and a
  check constraint refuses the row).
- Nothing is announced about content that is not public, and when content is
  hidden, unpublished or removed later, what was announced about it is
  withdrawn (rows deleted), so the bell never counts it.
- Each event is recorded once per person: unique constraints with
  ``ignore_conflicts`` make a repeated call harmless.
- Email never goes out in the request. A notification a person wants by
  email is marked pending; the first pending one of a burst queues one email
  task (``EmailPreference.email_due_at``), which runs after
  ``NOTIFICATIONS_EMAIL_DELAY`` seconds on the worker and sends everything
  pending for that person in one email. With the immediate backend
  (development, tests) the task runs as soon as the transaction commits.
"""

import logging
from collections.abc import Iterable
from datetime import timedelta
from functools import partial
from itertools import batched

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import ngettext

from caching import fragments, generations
from core import origin

from .models import (
    CONTENT_KINDS,
    EMAILED_KINDS,
    OPTIONAL_KINDS,
    EmailPreference,
    EmailState,
    Notification,
    NotificationKind,
)

logger = logging.getLogger(__name__)

Kind = NotificationKind

# Followers of a publishing author are told in batches of this many rows:
# a constant number of queries per batch, whatever the follower count.
BATCH_SIZE = 1000
# People per email task (each task sends one email per person).
EMAIL_TASK_BATCH = 200
# An email queued this long ago and still not sent is taken as lost (the
# worker was down, the enqueue failed): the next notification queues again.
STALE_EMAIL_AFTER = timedelta(hours=1)
# An email lists at most this many notifications, then says how many more.
EMAIL_LIST_LIMIT = 30


# The bell


def unread_count(user) -> int:
    """The bell's number: one COUNT on the (recipient, read_at) index, cached under
    the reader's generation, which every change of their notifications bumps
    (:func:`_changed`): new ones, read ones, withdrawn ones."""
    return fragments.cached(
        f"unread:{user.pk}",
        [generations.reader(user.pk)],
        lambda: Notification.objects.for_recipient(user).unread().count(),
    )


def _changed(recipient_ids) -> None:
    """These people's bells changed (one SET each, in one pipeline)."""
    generations.bump(*(generations.reader(pk) for pk in sorted(set(recipient_ids))))


# Recording events


def _announce(rows: list[dict]) -> int:
    """Insert notifications (dicts of field values with ``kind`` and
    ``recipient_id``), leaving out anyone told about their own doing, and
    queue the email of those who want one. Returns how many rows were offered.

    At most four queries whatever the number of rows: make sure everyone has
    a preference row, read the preferences, insert, mark the emails queued.
    """
    rows = [row for row in rows if row["recipient_id"] != row.get("actor_id")]
    if not rows:
        return 0
    # Only kinds with an email switch need the preferences (not the moderation notice).
    emailable = {row["recipient_id"] for row in rows if row["kind"] in EMAILED_KINDS}
    with transaction.atomic():
        preferences = _email_preferences(emailable) if emailable else {}
        notifications = []
        emailed = set()
        for row in rows:
            preference = preferences.get(row["recipient_id"])
            wants_email = preference is not None and preference.wants(row["kind"])
            if wants_email:
                emailed.add(row["recipient_id"])
            notifications.append(
                Notification(
                    email_state=EmailState.PENDING if wants_email else EmailState.SKIPPED, **row
                )
            )
        Notification.objects.bulk_create(notifications, ignore_conflicts=True)
        _queue_email({pk: preferences[pk] for pk in emailed})
        _changed(row["recipient_id"] for row in rows)
    return len(notifications)


def _email_preferences(user_ids: set[int]) -> dict[int, EmailPreference]:
    """The preferences of the people who can receive email (active, with an
    address), their rows locked until the notifications are committed.

    The lock is what makes the queued flag safe (see _queue_email); rows are
    locked in primary-key order so two announcements never deadlock.
    """
    EmailPreference.objects.bulk_create(
        [EmailPreference(user_id=pk) for pk in user_ids], ignore_conflicts=True
    )
    reachable = (
        EmailPreference.objects.select_for_update(of=("self",))
        .filter(user_id__in=user_ids, user__is_active=True)
        .exclude(user__email="")
        .order_by("user_id")
    )
    return {preference.user_id: preference for preference in reachable}


def _queue_email(preferences: dict[int, EmailPreference]) -> None:
    """Queue one email task for the people who have none queued yet.

    The flag is read (under the row lock) and set in the same transaction as
    the notifications, and the task clears it (an UPDATE that waits for that
    lock) before it looks for pending notifications. So whichever way a new
    notification and a running task interleave, the notification is either
    found by that task or sees the flag cleared and queues a task of its own.
    (SQLite has no row locks; its IMMEDIATE transactions serialise writers.)
    """
    now = timezone.now()
    stale = now - STALE_EMAIL_AFTER
    due = [
        pk
        for pk, preference in preferences.items()
        if preference.email_due_at is None or preference.email_due_at < stale
    ]
    if not due:
        return
    delay = timedelta(seconds=settings.NOTIFICATIONS_EMAIL_DELAY)
    EmailPreference.objects.filter(user_id__in=due).filter(
        Q(email_due_at__isnull=True) | Q(email_due_at__lt=stale)
    ).update(email_due_at=now + delay)
    # robust: if queueing fails after the commit, the notifications are saved
    # and the request still succeeds; the stale flag lets the next one retry.
    transaction.on_commit(partial(_enqueue_email_tasks, sorted(due)), robust=True)


def _enqueue_email_tasks(user_ids: list[int]) -> None:
    from .tasks import send_notification_emails

    task = send_notification_emails
    delay = settings.NOTIFICATIONS_EMAIL_DELAY
    if delay and task.get_backend().supports_defer:
        task = task.using(run_after=timezone.now() + timedelta(seconds=delay))
    for chunk in batched(user_ids, EMAIL_TASK_BATCH):
        task.enqueue(list(chunk))


def notify_comment(comment, *, recipients) -> int:
    """A new comment: a reply notice to the writer of the comment answered, a
    comment notice to the article's author (one notice each, reply first).

    ``recipients`` are the people comments.services chose
    (``comment_event_recipients``), the commenter never among them.
    """
    if not comment.is_visible or not comment.article.is_public:
        return 0
    replied_to = comment.reply_to.author_id if comment.reply_to_id else None
    rows = [
        {
            "kind": Kind.REPLY if person.pk == replied_to else Kind.COMMENT,
            "recipient_id": person.pk,
            "actor_id": comment.author_id,
            "article_id": comment.article_id,
            "comment_id": comment.pk,
        }
        for person in recipients
    ]
    return _announce(rows)


# A comment or article naming more people tells only the first this many.
MENTION_LIMIT = 10


def _switched_off(kind: str, people) -> set[int]:
    """Who of ``people`` switched notifications of ``kind`` off (OPTIONAL_KINDS)."""
    return set(
        EmailPreference.objects.filter(user_id__in=people, **{f"notify_{kind}": False}).values_list(
            "user_id", flat=True
        )
    )


def notify_mentions(*, people, actor_id: int, article_id: int, comment_id=None) -> int:
    """Tell the people named with @username in a visible comment or a published
    article (primary keys, in the order named): each once per comment or article,
    at most MENTION_LIMIT of them, not those who switched mentions off, nor anyone
    the same comment already reached as a reply or comment notice."""
    people = [pk for pk in dict.fromkeys(people) if pk != actor_id][:MENTION_LIMIT]
    if not people:
        return 0
    skipped = _switched_off(Kind.MENTION, people)
    if comment_id is not None:
        skipped |= set(
            Notification.objects.filter(
                comment_id=comment_id, recipient_id__in=people, kind__in=[Kind.REPLY, Kind.COMMENT]
            ).values_list("recipient_id", flat=True)
        )
    rows = [
        {
            "kind": Kind.MENTION,
            "recipient_id": pk,
            "actor_id": actor_id,
            "article_id": article_id,
            "comment_id": comment_id,
        }
        for pk in people
        if pk not in skipped
    ]
    return _announce(rows) if rows else 0


def notify_comment_liked(comment, *, by) -> int:
    """A like of a comment: its writer gets one notification per comment, which
    each new like brings back to the top, unread, naming the latest liker (the
    list says how many others), instead of one notice per like. Never emailed."""
    recipient = comment.author_id
    if recipient == by.pk or not comment.is_visible:
        return 0
    if _switched_off(Kind.COMMENT_LIKE, [recipient]):
        return 0
    brought_back = Notification.objects.filter(
        recipient_id=recipient, comment_id=comment.pk, kind=Kind.COMMENT_LIKE
    ).update(actor_id=by.pk, read_at=None, created_at=timezone.now())
    if brought_back:
        _changed([recipient])
        return 1
    return _announce(
        [
            {
                "kind": Kind.COMMENT_LIKE,
                "recipient_id": recipient,
                "actor_id": by.pk,
                "article_id": comment.article_id,
                "comment_id": comment.pk,
            }
        ]
    )


def withdraw_comment_likes(comment) -> int:
    """The comment has no likes left: its like notification goes."""
    deleted, _ = Notification.objects.filter(comment_id=comment.pk, kind=Kind.COMMENT_LIKE).delete()
    if deleted:
        _changed([comment.author_id])
    return deleted


def notify_new_article(article) -> int:
    """Tell every follower of the author about a newly published article.

    Followers are read by primary key in batches (keyset, never OFFSET) and
    inserted in batches, so an author with many followers costs a few queries
    per thousand followers, not one per follower.
    """
    if not article.is_public:
        return 0
    followers = (
        get_user_model()
        .objects.filter(following__author_id=article.author_id, is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    told, last = 0, 0
    while batch := list(followers.filter(pk__gt=last)[:BATCH_SIZE]):
        told += _announce(
            [
                {
                    "kind": Kind.NEW_ARTICLE,
                    "recipient_id": pk,
                    "actor_id": article.author_id,
                    "article_id": article.pk,
                }
                for pk in batch
            ]
        )
        last = batch[-1]
    return told


def notify_new_follower(*, follower, author) -> int:
    """Tell an author that someone started following them (once per follower)."""
    return _announce([{"kind": Kind.FOLLOWER, "recipient_id": author.pk, "actor_id": follower.pk}])


def notify_report_outcome(action, *, reports: Iterable[tuple[int, int]]) -> int:
    """Tell each reporter that a moderator decided on their report.

    ``reports`` are (report id, reporter id) pairs of the reports the action
    resolved. The moderator stays anonymous: no actor.
    """
    return _announce(
        [
            {
                "kind": Kind.REPORT_OUTCOME,
                "recipient_id": reporter_id,
                "report_id": report_id,
                "action_id": action.pk,
            }
            for report_id, reporter_id in reports
        ]
    )


def notify_moderation(action, *, owner) -> int:
    """Tell the owner of the content or account what moderators decided.

    Never emailed from here: moderation.services emails the notice itself,
    whatever the person's preferences (EmailPreference has no switch for it).
    """
    return _announce([{"kind": Kind.MODERATION, "recipient_id": owner.pk, "action_id": action.pk}])


def notify_review(*, released: bool, owner, article=None, comment=None) -> int:
    """Tell the writer of a held article or comment what the review decided
    (trust.services). The moderator stays anonymous; never emailed."""
    kind = Kind.REVIEW_RELEASED if released else Kind.REVIEW_REJECTED
    return _announce(
        [
            {
                "kind": kind,
                "recipient_id": owner.pk,
                "article_id": article.pk if article else comment.article_id,
                "comment_id": comment.pk if comment else None,
            }
        ]
    )


def notify_comment_hidden(comment, *, by) -> int:
    """Tell a commenter that the article's author hid their comment (the reason
    is the comment's ``hidden_reason``). Not emailed: the notice waits on the site."""
    if by.pk == comment.author_id:
        return 0
    return _announce(
        [
            {
                "kind": Kind.COMMENT_HIDDEN,
                "recipient_id": comment.author_id,
                "actor_id": by.pk,
                "article_id": comment.article_id,
                "comment_id": comment.pk,
            }
        ]
    )


def withdraw_comment_hidden(comment) -> int:
    """The comment is shown again: the notice that it was hidden goes."""
    notifications = Notification.objects.filter(comment_id=comment.pk, kind=Kind.COMMENT_HIDDEN)
    recipients = list(notifications.values_list("recipient_id", flat=True).distinct())
    deleted, _ = notifications.delete()
    _changed(recipients)
    return deleted


def forget_person(user) -> int:
    """A person's account is deleted: their notifications and email settings go,
    and what others were told about their doing (replies, follows) is withdrawn."""
    deleted, _ = Notification.objects.filter(recipient=user).delete()
    others = Notification.objects.filter(actor=user)
    recipients = list(others.values_list("recipient_id", flat=True).distinct())
    others.delete()
    EmailPreference.objects.filter(user=user).delete()
    _changed([user.pk, *recipients])
    return deleted


def _withdraw(notifications) -> int:
    notifications = notifications.filter(kind__in=CONTENT_KINDS)
    recipients = list(notifications.values_list("recipient_id", flat=True).distinct())
    deleted, _ = notifications.delete()
    _changed(recipients)
    return deleted


def withdraw_about_article(article) -> int:
    """The article left the public (hidden, unpublished, deleted): forget what
    was announced about it and its comments. Restoring it announces nothing again."""
    return _withdraw(Notification.objects.filter(article_id=article.pk))


def withdraw_about_comment(comment) -> int:
    """The comment is no longer visible: forget the notices about it."""
    return _withdraw(Notification.objects.filter(comment_id=comment.pk))


# Reading


def mark_read(user, *, notification_id: int) -> bool:
    """Mark one of the person's notifications read; False if there is no such unread one."""
    changed = (
        Notification.objects.for_recipient(user)
        .unread()
        .filter(pk=notification_id)
        .update(read_at=timezone.now())
    )
    if changed:
        _changed([user.pk])
    return bool(changed)


def mark_all_read(user) -> int:
    """Mark every unread notification of the person read; returns how many."""
    changed = Notification.objects.for_recipient(user).unread().update(read_at=timezone.now())
    if changed:
        _changed([user.pk])
    return changed


def email_preferences(user) -> EmailPreference:
    """The person's preferences; defaults (unsaved) until they first change them."""
    return EmailPreference.objects.filter(user=user).first() or EmailPreference(user=user)


def save_email_preferences(user, *, data: dict) -> EmailPreference:
    """Switch email on or off per kind, and the optional kinds on or off at all.
    Pending notifications of a kind switched off are not emailed (the task reads
    the preferences when it sends)."""
    fields = [
        *(EmailPreference.field_for(kind) for kind in EMAILED_KINDS),
        *(f"notify_{kind}" for kind in OPTIONAL_KINDS),
    ]
    preference, _ = EmailPreference.objects.update_or_create(
        user=user, defaults={field: bool(data.get(field)) for field in fields}
    )
    return preference


# The email


def send_pending_email(user_id: int) -> bool:
    """Send the person one email with every notification waiting for one.

    Runs in the email task. First the queued flag is cleared (see
    _queue_email), then the pending rows are claimed in a short transaction
    (rows locked by another worker are skipped, so two workers never email
    the same notification), then the mail is sent outside any transaction.
    Notifications read on the site meanwhile, or of a kind switched off, are
    not emailed. If sending fails, the claimed rows are pending again and the
    error propagates, so the task is recorded as failed and the next
    notification retries them. Returns whether an email was sent.
    """
    EmailPreference.objects.filter(user_id=user_id).update(email_due_at=None)
    with transaction.atomic():
        claimed = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(recipient_id=user_id, email_state=EmailState.PENDING)
            .values_list("pk", flat=True)
        )
        Notification.objects.filter(pk__in=claimed).update(
            email_state=EmailState.SENT, emailed_at=timezone.now()
        )
    if not claimed:
        return False
    user = get_user_model().objects.filter(pk=user_id, is_active=True).exclude(email="").first()
    preference = EmailPreference.objects.filter(user_id=user_id).first()
    notifications = list(Notification.objects.filter(pk__in=claimed).for_page())
    wanted, skipped = [], []
    for item in notifications:
        if user and item.is_unread and (preference is None or preference.wants(item.kind)):
            wanted.append(item)
        else:
            skipped.append(item.pk)
    if skipped:
        Notification.objects.filter(pk__in=skipped).update(
            email_state=EmailState.SKIPPED, emailed_at=None
        )
    if not wanted:
        return False
    subject, body = _render_email(user, wanted)
    try:
        send_mail(subject, body, None, [user.email])
    except Exception:
        Notification.objects.filter(pk__in=[item.pk for item in wanted]).update(
            email_state=EmailState.PENDING, emailed_at=None
        )
        logger.exception("Could not email notifications to user %s", user_id)
        raise
    return True


def _render_email(user, notifications: list[Notification]) -> tuple[str, str]:
    """Subject and plain-text body, in the person's language, with absolute links."""
    site_url = origin.site_url()
    context = {
        "user": user,
        "notifications": notifications[:EMAIL_LIST_LIMIT],
        "more": max(0, len(notifications) - EMAIL_LIST_LIMIT),
        "site_name": settings.SITE_NAME,
        "site_url": site_url,
    }
    with translation.override(user.mail_language):
        count = len(notifications)
        subject = ngettext("%(count)d new notification", "%(count)d new notifications", count) % {
            "count": count
        }
        body = render_to_string("notifications/email/digest_body.txt", context)
    return f"{subject} · {settings.SITE_NAME}", body
