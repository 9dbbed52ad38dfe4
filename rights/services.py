"""Writes of the rights app. It changes the lower apps' rows only through their
services (README, "People's rights")."""

import logging
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sites.models import Site
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from comments.models import Comment, CommentStatus
from moderation import services as moderation_services
from moderation.models import DETAILS_MAX_LENGTH, Reason, Report
from notifications import services as notification_services

from . import exports
from .models import (
    CORRECTION_MAX_LENGTH,
    RESPONSE_DEADLINE,
    ConsentChange,
    ConsentPurpose,
    CorrectionRequest,
    DataExport,
    PersonalDataAccess,
)

logger = logging.getLogger(__name__)

# At most this many exports a day per person (each one reads all their rows).
EXPORTS_PER_DAY = 3
DOWNLOAD_SALT = "rights.export.download"


def contest_comment_hide(comment: Comment, *, by, details: str) -> Report:
    """The commenter reports the article's author for abusing the hide of their
    comment: a report on the author's account, reason "Other", whose details name
    the comment, so it reaches the moderation queue like any report.

    Raises moderation's errors (already reported, rate limited) unchanged.
    """
    if comment.author_id != by.pk or comment.status != CommentStatus.HIDDEN_BY_AUTHOR:
        raise ValidationError(_("Only a comment the article's author hid can be contested."))
    details = details.strip()
    if not details:
        raise ValidationError(_("Tell the moderators what happened."), code="required")
    # The moderators read the queue in the site's language.
    with translation.override(settings.LANGUAGE_CODE):
        heading = _(
            "Abuse of hiding: the author hid comment #%(pk)s on their article “%(title)s”."
        ) % {"pk": comment.pk, "title": comment.article.title}
        if comment.hidden_reason:
            heading += " " + _("Their reason: %(reason)s") % {"reason": comment.hidden_reason}
    return moderation_services.report_account(
        comment.article.author,
        reporter=by,
        reason=Reason.OTHER,
        # The comment and reason first, shortened if need be; the commenter's words whole.
        details=f"{heading[: max(0, DETAILS_MAX_LENGTH - len(details) - 2)]}\n\n{details}"[
            :DETAILS_MAX_LENGTH
        ],
    )


# Data Saya: the export


class ExportRefused(Exception):
    """The person cannot ask for another export now (one is being built, or the
    day's are used up): show the message, change nothing."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def request_export(user, *, requested_by=None) -> DataExport:
    """Queue a ZIP of everything about ``user`` for the task worker."""
    with transaction.atomic():
        # One request at a time per person, even from two tabs.
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        mine = DataExport.objects.filter(user=user)
        if mine.in_progress().exists():
            raise ExportRefused(_("Your export is already being prepared."))
        since = timezone.now() - timedelta(days=1)
        if mine.filter(created_at__gte=since).count() >= EXPORTS_PER_DAY:
            raise ExportRefused(
                _("You can ask for at most %(count)d exports a day. Please try again tomorrow.")
                % {"count": EXPORTS_PER_DAY}
            )
        export = DataExport.objects.create(user=user, requested_by=requested_by or user)
        transaction.on_commit(partial(_enqueue_export, export.pk), robust=True)
    return export


def _enqueue_export(export_id: int) -> None:
    from .tasks import build_export

    build_export.enqueue(export_id)


def run_export(export_id: int) -> str:
    """The worker's side: build the ZIP, then email the link. A failure marks the
    export failed (the person may ask again) and is raised for the task record."""
    export = DataExport.objects.select_related("user").filter(pk=export_id).first()
    if export is None or export.status not in DataExport.IN_PROGRESS:
        return "skipped"
    try:
        export = exports.build(export)
    except Exception:
        DataExport.objects.filter(pk=export_id).update(
            status=DataExport.Status.FAILED, finished_at=timezone.now()
        )
        logger.exception("Could not build data export %s", export_id)
        raise
    _email_export_link(export)
    return export.status


def download_token(export: DataExport) -> str:
    return signing.dumps({"e": export.pk, "u": export.user_id}, salt=DOWNLOAD_SALT)


def download_url(export: DataExport) -> str:
    return reverse("rights:download_export", kwargs={"token": download_token(export)})


def export_for_download(token: str, *, user) -> DataExport | None:
    """The export a signed link names, if it is the signed-in person's, ready and
    not expired; else None (a forged, foreign, stale or expired link)."""
    try:
        value = signing.loads(
            token, salt=DOWNLOAD_SALT, max_age=exports.EXPORT_LIFETIME.total_seconds()
        )
    except signing.BadSignature:
        return None
    if not isinstance(value, dict) or value.get("u") != user.pk:
        return None
    export = DataExport.objects.filter(pk=value.get("e"), user=user).first()
    if export is None or not export.is_downloadable:
        return None
    return export


def _email_export_link(export: DataExport) -> None:
    user = export.user
    if not user.email:
        return
    scheme = "http" if settings.DEBUG else "https"
    context = {
        "user": user,
        "export": export,
        "url": f"{scheme}://{Site.objects.get_current().domain}{download_url(export)}",
        "site_name": settings.SITE_NAME,
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Your data from %(site)s is ready") % {"site": settings.SITE_NAME}
        body = render_to_string("rights/email/export_ready.txt", context)
    send_mail(subject, body, None, [user.email])


def expire_exports(*, now=None) -> int:
    """Delete the files of exports past their time; returns how many."""
    now = now or timezone.now()
    expired = DataExport.objects.filter(status=DataExport.Status.READY, expires_at__lte=now)
    count = 0
    for export in expired:
        if export.file_name:
            exports.storage().delete(export.file_name)
        count += DataExport.objects.filter(pk=export.pk, status=DataExport.Status.READY).update(
            status=DataExport.Status.EXPIRED, file_name=""
        )
    return count


# Consent: the optional emails, with their history


def consent_state(user) -> dict[str, bool]:
    """Each purpose's current switch, as notifications keeps it."""
    preference = notification_services.email_preferences(user)
    return {purpose: getattr(preference, purpose) for purpose in ConsentPurpose.values}


@transaction.atomic
def save_consent(user, *, data: dict) -> list[ConsentChange]:
    """Turn purposes on or off; each switch that changed is one history row."""
    before = consent_state(user)
    wanted = {purpose: bool(data.get(purpose)) for purpose in ConsentPurpose.values}
    notification_services.save_email_preferences(user, data=wanted)
    return ConsentChange.objects.bulk_create(
        ConsentChange(user=user, purpose=purpose, granted=granted)
        for purpose, granted in wanted.items()
        if granted != before[purpose]
    )


# Correction requests (what the person cannot edit themselves)


def request_correction(user, *, what: str) -> CorrectionRequest:
    """Record a correction request, due within 3x24 hours (the admin lists it by due time)."""
    what = what.strip()
    if not what:
        raise ValidationError(_("Say what is wrong and what is right."), code="required")
    if len(what) > CORRECTION_MAX_LENGTH:
        raise ValidationError(
            _("Write at most %(limit)d characters.") % {"limit": CORRECTION_MAX_LENGTH},
            code="max_length",
        )
    created = CorrectionRequest.objects.create(
        user=user, what=what, due_at=timezone.now() + RESPONSE_DEADLINE
    )
    return created


@transaction.atomic
def close_correction(
    correction: CorrectionRequest, *, by, status: str, answer: str
) -> CorrectionRequest:
    """Staff close a request (corrected, or refused with a reason)."""
    if status not in (CorrectionRequest.Status.DONE, CorrectionRequest.Status.REFUSED):
        raise ValidationError(_("Choose corrected or refused."))
    if status == CorrectionRequest.Status.REFUSED and not answer.strip():
        raise ValidationError(_("Say why the request is refused."))
    changed = CorrectionRequest.objects.filter(
        pk=correction.pk, status=CorrectionRequest.Status.OPEN
    ).update(status=status, answer=answer.strip(), closed_at=timezone.now(), closed_by=by)
    if not changed:
        raise ValidationError(_("This request is already closed."))
    correction.refresh_from_db()
    return correction


# The personal-data access log


def record_access(*, subject, staff, kind: str, note: str = "") -> PersonalDataAccess:
    """Record that a staff member viewed or exported a person's personal data."""
    return PersonalDataAccess.objects.create(
        subject=subject, staff=staff, kind=kind, note=note[:300]
    )
