"""Writes of the rights app. It changes the lower apps' rows only through their
services (README, "People's rights")."""

import logging
from datetime import timedelta
from functools import partial
from urllib.parse import urlsplit

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sites.models import Site
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts import services as account_services
from api import services as api_services
from api.models import AccessToken, Webhook
from articles import services as article_services
from articles.models import Article
from comments import services as comment_services
from comments.models import Comment, CommentStatus
from core import decisions, events
from moderation import services as moderation_services
from moderation.models import DETAILS_MAX_LENGTH, Case, ModerationAction, Reason, Report
from moderation.tasks import send_notice
from notifications import services as notification_services
from readinglist import services as reading_list

from . import exports
from .models import (
    APPEAL_MAX_LENGTH,
    APPEAL_WINDOW,
    APPEALABLE_KINDS,
    CORRECTION_MAX_LENGTH,
    DELETION_GRACE,
    REPLY_MAX_LENGTH,
    REPLY_WAIT,
    RESPONSE_DEADLINE,
    URGENT_RULES,
    AccountDeletion,
    Appeal,
    ConsentChange,
    ConsentPurpose,
    CorrectionRequest,
    DataExport,
    GovernmentOrder,
    OrderTarget,
    PersonalDataAccess,
    RightOfReply,
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
    ratings, comment likes, the reading list, notifications, tokens, webhooks,
    exports, consent and correction history, and, when chosen, their articles
    and comments.
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
        comment_services.withdraw_likes_of(user)
        reading_list.forget(user)
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


# Government and court orders (Permenkominfo 5/2020; UU ITE art. 26)

_ARTICLE_VIEWS = {"articles:detail", "articles:page", "articles:all_pages"}


def _resolve_target(url: str) -> dict:
    """The article, comment or account an address of this site names, or {}."""
    path = urlsplit(url.strip()).path or "/"
    for code, _name in settings.LANGUAGES:
        prefix = f"/{code}/"
        if code != settings.LANGUAGE_CODE and path.startswith(prefix):
            path = path[len(prefix) - 1 :]
    try:
        match = resolve(path)
    except Resolver404:
        return {}
    if match.view_name in _ARTICLE_VIEWS:
        article = Article.objects.filter(pk=match.kwargs["pk"]).first()
        return {"article": article} if article else {}
    if match.view_name == "comments:permalink":
        comment = Comment.objects.filter(pk=match.kwargs["pk"]).first()
        return {"comment": comment} if comment else {}
    if match.view_name in {"articles:author", "articles:author_feed"}:
        account = get_user_model().objects.filter(username=match.kwargs["username"]).first()
        return {"account": account} if account else {}
    return {}


@transaction.atomic
def receive_order(order: GovernmentOrder, *, by) -> GovernmentOrder:
    """Record an order as entered in the admin: its clock starts at ``received_at``
    (4 or 24 hours), and each target address is resolved to the row it names."""
    lines = order.target_lines()
    if not lines:
        raise ValidationError(_("Name at least one target address."))
    order.created_by = by
    order.save()
    for line in lines:
        OrderTarget.objects.create(order=order, url=line[:500], **_resolve_target(line))
    return order


def _evidence(target: OrderTarget) -> str:
    if target.article_id:
        a = target.article
        return f"{a.title}\n\n{a.body_html}"
    if target.comment_id:
        return target.comment.body
    if target.account_id:
        u = target.account
        return f"{u.username} · {u.display_name}\n{u.tagline}\n{u.bio}"
    return ""


@transaction.atomic
def carry_out_order(order: GovernmentOrder, *, by) -> GovernmentOrder:
    """Carry out every target of the order, keeping its evidence on the order, tell
    each author unless the order forbids it, and close the order with the time
    (which the transparency report compares with the due time).

    A takedown withholds an article (articles.services.withhold_article: a 451
    notice with the legal basis, gone from lists, feeds, search, the sitemap and
    federation, nothing deleted) and hides a comment; a court-ordered erasure
    erases both. An account the order names is suspended through moderation
    (for as long as the order says), so it is lifted or appealed the normal way.
    """
    order = GovernmentOrder.objects.select_for_update().get(pk=order.pk)
    if order.status != GovernmentOrder.Status.OPEN:
        raise ValidationError(_("This order is already closed."))
    if order.kind == GovernmentOrder.Kind.SUBSCRIBER_INFO:
        raise ValidationError(_("Export the subscriber information instead."))
    erase = order.kind == GovernmentOrder.Kind.ERASURE
    owners = {}
    for target in order.items.select_related("article__author", "comment__author", "account"):
        if not target.snapshot:
            target.snapshot = _evidence(target)
        if target.article_id:
            article = target.article
            owners[article.author_id] = article.author
            if erase:
                article_services.erase_article(article, by=by)
            else:
                article_services.withhold_article(article, by=by)
            target.outcome = "erased" if erase else "withheld"
        elif target.comment_id:
            comment = target.comment
            owners[comment.author_id] = comment.author
            if erase:
                comment_services.erase_comment(comment)
            else:
                comment_services.hide_comment_as_moderator(comment)
            target.outcome = "erased" if erase else "taken down"
        elif target.account_id:
            target.action = _suspend_named_account(order, target.account, by=by)
            target.outcome = "account suspended" if target.action else "account: not suspended"
        else:
            target.outcome = "not found on this site"
        target.save(update_fields=["snapshot", "outcome", "action"])
    GovernmentOrder.objects.filter(pk=order.pk).update(
        status=GovernmentOrder.Status.DONE, closed_at=timezone.now(), closed_by=by
    )
    order.refresh_from_db()
    if not order.forbid_author_notice:
        for owner in owners.values():
            _email_order_notice(order, owner)
    return order


def _suspend_named_account(order: GovernmentOrder, account, *, by) -> ModerationAction | None:
    """Suspend an account an order names, on its moderation case; None when it
    cannot be (a staff account, or already suspended: nothing to record twice)."""
    if account.is_staff or account.is_suspended:
        return None
    # Moderation's records are read in the site's language, like its queue.
    with translation.override(settings.LANGUAGE_CODE):
        if order.forbid_author_notice:
            # The account holder may not be told of the order: its record names none.
            public = _("Suspended under a legal obligation.")
        else:
            public = _("Suspended on a legal order: %(authority)s, %(basis)s.") % {
                "authority": order.authority,
                "basis": order.legal_basis,
            }
        internal = f"{order.get_source_display()} {order.reference}"
    # An end already past is refused by the service (ValidationError): nothing changes.
    return moderation_services.suspend_account_by_order(
        account,
        moderator=by,
        public_reason=public,
        internal_reason=internal,
        until=order.account_suspended_until,
        tell_owner=not order.forbid_author_notice,
    )


def _email_order_notice(order: GovernmentOrder, owner) -> None:
    if not owner.email:
        return
    context = {"order": order, "owner": owner, "site_name": settings.SITE_NAME}
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Your content on %(site)s was removed by a legal order") % {
            "site": settings.SITE_NAME
        }
        body = render_to_string("rights/email/order_notice.txt", context)
    transaction.on_commit(partial(send_notice.enqueue, subject, body, owner.email), robust=True)


def subscriber_information(order: GovernmentOrder, *, by) -> dict:
    """What the site knows to identify the accounts an order names (Permenkominfo
    5/2020 art. 36), each export recorded in the person's access log."""
    people = []
    for target in order.items.select_related("account", "article__author", "comment__author"):
        person = (
            target.account
            or (target.article and target.article.author)
            or (target.comment and target.comment.author)
        )
        if person is None:
            continue
        record_access(
            subject=person,
            staff=by,
            kind=PersonalDataAccess.Kind.SUBSCRIBER_EXPORT,
            note=f"{order.get_source_display()} {order.reference}",
        )
        people.append(
            {
                "username": person.username,
                "display_name": person.display_name,
                "email": person.email,
                "email_addresses": list(
                    EmailAddress.objects.filter(user=person).values_list("email", flat=True)
                ),
                "date_joined": person.date_joined,
                "last_login": person.last_login,
                "is_active": person.is_active,
            }
        )
    return {
        "order": {
            "reference": order.reference,
            "authority": order.authority,
            "legal_basis": order.legal_basis,
        },
        "exported_at": timezone.now(),
        "accounts": people,
    }


def escalate_overdue_orders(*, now=None) -> int:
    """Email the moderators about open orders past their due time, once each."""
    now = now or timezone.now()
    overdue = list(
        GovernmentOrder.objects.filter(
            status=GovernmentOrder.Status.OPEN, due_at__lt=now, escalated_at__isnull=True
        ).order_by("due_at")
    )
    if not overdue:
        return 0
    recipients = list(
        get_user_model()
        .objects.filter(is_staff=True, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Overdue government orders on %(site)s") % {"site": settings.SITE_NAME}
        body = render_to_string(
            "rights/email/orders_overdue.txt", {"orders": overdue, "site_name": settings.SITE_NAME}
        )
    if recipients:
        send_mail(subject, body, None, recipients)
    GovernmentOrder.objects.filter(pk__in=[o.pk for o in overdue]).update(escalated_at=now)
    return len(overdue)


# The right of reply


def invite_reply(case_id: int) -> RightOfReply | None:
    """The review of a reported article started: invite its author to give their
    side (once per case), by email, with the time the moderators wait for it."""
    case = Case.objects.select_related("article", "owner").filter(pk=case_id).first()
    if case is None or case.article_id is None:
        return None
    invitation, created = RightOfReply.objects.get_or_create(
        case=case,
        defaults={"author": case.owner, "wait_until": timezone.now() + REPLY_WAIT},
    )
    if created and case.owner.email:
        scheme = "http" if settings.DEBUG else "https"
        context = {
            "invitation": invitation,
            "article": case.article,
            "user": case.owner,
            "url": f"{scheme}://{Site.objects.get_current().domain}{invitation.get_absolute_url()}",
            "site_name": settings.SITE_NAME,
        }
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("Your article on %(site)s is being reviewed: give your side") % {
                "site": settings.SITE_NAME
            }
            body = render_to_string("rights/email/reply_invitation.txt", context)
        send_notice.enqueue(subject, body, case.owner.email)
    return invitation


def on_event(event: str, **data) -> None:
    """The rights app's listener on the lower apps' events (core/events.py)."""
    if event == events.CASE_REVIEW_STARTED:
        invite_reply(data["case_id"])


def reply_wait(decision: decisions.Decision) -> None:
    """Refuse to hide a reported article before its author has had their say
    (core.decisions check): the review must have started, which invites them, and
    the wait must be over or their reply in. Not for an urgent rule, an article
    an open legal order names, or a hide whose urgent reason the moderator gives."""
    case = decision.case
    if decision.kind != ModerationAction.Kind.HIDE or case.article_id is None:
        return
    if decision.rule in URGENT_RULES or decision.urgent_reason:
        return
    if OrderTarget.objects.filter(
        article_id=case.article_id, order__status=GovernmentOrder.Status.OPEN
    ).exists():
        return
    invitation = RightOfReply.objects.filter(case_id=case.pk).first()
    if invitation is None:
        raise decisions.Refused(
            _(
                "Start the review first: the author is then invited to give their side, "
                "and has %(hours)d hours to."
            )
            % {"hours": int(REPLY_WAIT.total_seconds() // 3600)}
        )
    if invitation.replied_at is not None or invitation.wait_until <= timezone.now():
        return
    raise decisions.Refused(
        _(
            "The author has until %(until)s to give their side. Hide it after that or once "
            "they reply; if it cannot wait, say why under “Urgent”."
        )
        % {"until": date_format(timezone.localtime(invitation.wait_until), "DATETIME_FORMAT")}
    )


def submit_reply(invitation: RightOfReply, *, by, text: str) -> RightOfReply:
    """The author gives their side, once, while the case is still under review."""
    if by.pk != invitation.author_id:
        raise ValidationError(_("Only the author can reply."))
    text = text.strip()
    if not text:
        raise ValidationError(_("Write your reply."))
    if len(text) > REPLY_MAX_LENGTH:
        raise ValidationError(
            _("A reply can be at most %(limit)d characters.") % {"limit": REPLY_MAX_LENGTH}
        )
    if not Case.objects.filter(pk=invitation.case_id, status__in=Case.REVIEW_STATUSES).exists():
        raise ValidationError(_("The moderators have already decided."))
    changed = RightOfReply.objects.filter(pk=invitation.pk, replied_at__isnull=True).update(
        text=text, replied_at=timezone.now()
    )
    if not changed:
        raise ValidationError(_("You have already replied."))
    invitation.refresh_from_db()
    return invitation
