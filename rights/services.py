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
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts import services as account_services
from api import services as api_services
from api.models import AccessToken, Webhook
from articles import services as article_services
from articles.models import Article
from comments import services as comment_services
from comments.models import Comment, CommentStatus
from core import events
from moderation import services as moderation_services
from moderation.models import DETAILS_MAX_LENGTH, ModerationAction, Reason, Report
from moderation.tasks import send_notice
from notifications import services as notification_services

from . import exports
from .models import (
    APPEAL_MAX_LENGTH,
    APPEAL_WINDOW,
    APPEALABLE_KINDS,
    CORRECTION_MAX_LENGTH,
    DELETION_GRACE,
    RESPONSE_DEADLINE,
    AccountDeletion,
    Appeal,
    ConsentChange,
    ConsentPurpose,
    CorrectionRequest,
    DataExport,
    PersonalDataAccess,
)
from .tasks import build_export, remove_account_when_due

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


# Account deletion (UU PDP art. 43), after a grace period


class DeletionRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def request_deletion(user, *, password: str, writing: str) -> AccountDeletion:
    """Schedule the removal of the account after DELETION_GRACE, confirmed with the
    password; the person is signed out everywhere, and signing in again within the
    grace period cancels it (cancel_deletion_on_sign_in)."""
    if writing not in AccountDeletion.Writing.values:
        raise DeletionRefused(_("Choose what happens to your writing."))
    if not user.check_password(password):
        raise DeletionRefused(_("The password is not correct."))
    if user.is_staff:
        raise DeletionRefused(
            _("Staff accounts are closed by an administrator, not deleted from here.")
        )
    try:
        with transaction.atomic():
            deletion = AccountDeletion.objects.create(
                user=user, writing=writing, due_at=timezone.now() + DELETION_GRACE
            )
    except IntegrityError:
        raise DeletionRefused(_("Your account is already scheduled for deletion.")) from None
    account_services.end_sessions(user)
    task = remove_account_when_due
    if task.get_backend().supports_defer:
        task = task.using(run_after=deletion.due_at)
    # With the immediate backend the task runs now, finds it not due and leaves it
    # to manage.py remove_deleted_accounts (from cron; also the safety net).
    transaction.on_commit(partial(task.enqueue, deletion.pk), robust=True)
    _email_deletion_scheduled(deletion)
    return deletion


def _email_deletion_scheduled(deletion: AccountDeletion) -> None:
    user = deletion.user
    if not user.email:
        return
    context = {"user": user, "deletion": deletion, "site_name": settings.SITE_NAME}
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Your account on %(site)s will be deleted") % {"site": settings.SITE_NAME}
        body = render_to_string("rights/email/deletion_scheduled.txt", context)
    transaction.on_commit(partial(send_mail, subject, body, None, [user.email]), robust=True)


def cancel_deletion_on_sign_in(user) -> bool:
    """Signing in during the grace period cancels the deletion. True if it did."""
    return bool(
        AccountDeletion.objects.filter(
            user=user, status=AccountDeletion.Status.SCHEDULED, due_at__gt=timezone.now()
        ).update(status=AccountDeletion.Status.CANCELLED, closed_at=timezone.now())
    )


def remove_due_accounts(*, now=None) -> int:
    """Carry out every deletion whose grace period has passed; returns how many."""
    now = now or timezone.now()
    due = AccountDeletion.objects.filter(
        status=AccountDeletion.Status.SCHEDULED, due_at__lte=now
    ).values_list("pk", flat=True)
    return sum(remove_account(pk, now=now) for pk in list(due))


def remove_account(deletion_id: int, *, now=None) -> bool:
    """Remove the personal data of one account whose deletion is due.

    Kept, and why (README "People's rights", SECURITY.md): the anonymised account
    row ("Akun dihapus"), moderation cases, reports, actions and their evidence
    snapshots (UU ITE art. 40 and Permenkominfo 5/2020 oblige the platform to
    show how it handled reports and orders), and the writing the person chose to
    keep. Everything else goes: profile, email, photo, sessions, follows,
    ratings, notifications, tokens, webhooks, exports, consent and correction
    history, and, when chosen, their articles and comments.
    """
    now = now or timezone.now()
    with transaction.atomic():
        deletion = (
            AccountDeletion.objects.select_for_update()
            .select_related("user")
            .filter(pk=deletion_id, status=AccountDeletion.Status.SCHEDULED, due_at__lte=now)
            .first()
        )
        if deletion is None:
            return False
        user = deletion.user
        username = user.username
        remove_writing = deletion.writing == AccountDeletion.Writing.REMOVE
        if remove_writing:
            for article in Article.objects.filter(author=user).exclude(
                status=Article.Status.DELETED, body=""
            ):
                article_services.erase_article(article, by=user)
            for comment in Comment.objects.filter(author=user).exclude(
                status=CommentStatus.DELETED, body=""
            ):
                comment_services.erase_comment(comment)
        else:
            # Drafts were never public: nobody chose to keep them for readers.
            for article in Article.objects.filter(author=user, status=Article.Status.DRAFT):
                article_services.erase_article(article, by=user)
        article_services.withdraw_ratings_of(user)
        notification_services.forget_person(user)
        for token in AccessToken.objects.filter(user=user, revoked_at__isnull=True):
            api_services.revoke_token(token, by=user)
        for webhook in Webhook.objects.filter(owner=user, is_active=True):
            api_services.remove_webhook(webhook)
        for export in DataExport.objects.filter(user=user):
            if export.file_name:
                name = export.file_name
                transaction.on_commit(partial(exports.storage().delete, name), robust=True)
        DataExport.objects.filter(user=user).delete()
        ConsentChange.objects.filter(user=user).delete()
        CorrectionRequest.objects.filter(user=user).delete()
        account_services.anonymise_account(user, deactivate=remove_writing)
        AccountDeletion.objects.filter(pk=deletion.pk).update(
            status=AccountDeletion.Status.DONE, closed_at=now
        )
        events.emit(events.ACCOUNT_DELETED, user_id=user.pk, username=username)
    return True


# Appeals against moderation decisions


class AppealRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def appealable(action: ModerationAction, *, user, now=None) -> str | None:
    """Why ``user`` cannot appeal this decision, or None when they can."""
    now = now or timezone.now()
    if action.case.owner_id != user.pk:
        return _("Only the person the decision is about can appeal it.")
    if action.kind not in APPEALABLE_KINDS:
        return _("This decision cannot be appealed.")
    if Appeal.objects.filter(action=action).exists():
        return _("You have already appealed this decision.")
    if action.created_at + APPEAL_WINDOW < now:
        return _("The 20 days for appealing this decision have passed.")
    return None


def file_appeal(action: ModerationAction, *, by, text: str) -> Appeal:
    """Appeal a decision once, within 20 days, in at most 2,000 characters."""
    text = text.strip()
    if not text:
        raise AppealRefused(_("Say why the decision should change."))
    if len(text) > APPEAL_MAX_LENGTH:
        raise AppealRefused(
            _("An appeal can be at most %(limit)d characters.") % {"limit": APPEAL_MAX_LENGTH}
        )
    refusal = appealable(action, user=by)
    if refusal:
        raise AppealRefused(refusal)
    try:
        with transaction.atomic():
            return Appeal.objects.create(action=action, appellant=by, text=text)
    except IntegrityError:
        raise AppealRefused(_("You have already appealed this decision.")) from None


@transaction.atomic
def decide_appeal(appeal: Appeal, *, by, outcome: str, reason: str) -> Appeal:
    """A moderator other than the one who decided rules on the appeal. Reversal
    undoes the decision through the moderation services (restore, lift the
    suspension; a warning stays on record as reversed), which audit it as a new
    action; the person is told by email either way."""
    appeal = (
        Appeal.objects.select_for_update()
        .select_related("action__case__owner", "appellant")
        .get(pk=appeal.pk)
    )
    if appeal.status != Appeal.Status.OPEN:
        raise AppealRefused(_("This appeal is already decided."))
    if outcome not in (Appeal.Status.UPHELD, Appeal.Status.REVERSED):
        raise AppealRefused(_("Choose upheld or reversed."))
    reason = reason.strip()
    if not reason:
        raise AppealRefused(_("Give the reason the person will read."))
    action = appeal.action
    if not by.is_staff:
        raise AppealRefused(_("Only a moderator can decide an appeal."))
    if by.pk in (action.moderator_id, appeal.appellant_id):
        raise AppealRefused(
            _("A different moderator than the one who decided must handle this appeal.")
        )
    if outcome == Appeal.Status.REVERSED:
        public = _("Appeal granted: %(reason)s") % {"reason": reason}
        case = action.case
        try:
            if action.kind in ("hide", "auto_hide"):
                moderation_services.restore_target(case, moderator=by, public_reason=public)
            elif action.kind == "suspend":
                moderation_services.lift_account_suspension(
                    case, moderator=by, public_reason=public
                )
        except moderation_services.ActionNotApplicable:
            pass  # already undone by a later decision: the appeal's outcome still stands
    Appeal.objects.filter(pk=appeal.pk).update(
        status=outcome, decided_by=by, decided_at=timezone.now(), outcome_reason=reason
    )
    appeal.refresh_from_db()
    _email_appeal_outcome(appeal)
    return appeal


def _email_appeal_outcome(appeal: Appeal) -> None:
    user = appeal.appellant
    if not user.email:
        return
    context = {"user": user, "appeal": appeal, "site_name": settings.SITE_NAME}
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Your appeal on %(site)s is decided") % {"site": settings.SITE_NAME}
        body = render_to_string("rights/email/appeal_decided.txt", context)
    transaction.on_commit(partial(send_notice.enqueue, subject, body, user.email), robust=True)
