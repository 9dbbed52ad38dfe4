"""Writes for moderation. The reader views, the admin case page and the admin bulk
actions all call these functions; nothing else changes reports, cases or actions.

Other apps' rows change only through their own services: articles.services
(hide_article, restore_article), comments.services (hide_comment_as_moderator,
restore_comment_as_moderator) and accounts.services (suspend_account,
lift_suspension).
"""

import secrets
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Min, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts import services as account_services
from articles import services as article_services
from articles.models import Article
from comments import services as comment_services
from comments.models import Comment, CommentStatus
from core import decisions, events, screening
from notifications import services as notification_services
from trust import services as trust_services

from .models import (
    DETAILS_MAX_LENGTH,
    EVIDENCE_FOLDER,
    REASON_MAX_LENGTH,
    SEVERITY,
    Case,
    ModerationAction,
    Reason,
    Report,
    TargetType,
)
from .tasks import send_notice

Kind = ModerationAction.Kind


# Settings, read when used so tests can override them.


def auto_hide_threshold() -> int:
    return getattr(settings, "MODERATION_AUTO_HIDE_THRESHOLD", 3)


def auto_hide_min_account_age() -> timedelta:
    return timedelta(days=getattr(settings, "MODERATION_AUTO_HIDE_MIN_ACCOUNT_AGE_DAYS", 7))


def _evidence_copy(field_file) -> str:
    """A copy of a file kept as a report's evidence (its owner may replace or remove
    the original, which is then deleted from storage); "" when there is none.

    The copy's name starts with a random folder, so the owner's old URL with
    ``evidence/`` put in front does not reach it (``evidence_source`` reads the
    original name back).
    """
    if not field_file:
        return ""
    try:
        with field_file.storage.open(field_file.name) as original:
            return field_file.storage.save(
                f"{EVIDENCE_FOLDER}/{secrets.token_urlsafe(16)}/{field_file.name}", original
            )
    except OSError:
        return field_file.name


def report_limits() -> tuple[tuple[str, int, int], ...]:
    """(window name, seconds, reports allowed) for each rate limit window."""
    return (
        ("minute", 60, getattr(settings, "MODERATION_REPORTS_PER_MINUTE", 10)),
        ("day", 24 * 60 * 60, getattr(settings, "MODERATION_REPORTS_PER_DAY", 20)),
    )


# What can go wrong, each with a message for the person who asked.


class ModerationError(Exception):
    """A refused report or action; ``message`` is translated and shown as is."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class AlreadyReported(ModerationError):
    """The reporter has an open report about this target already."""


class OwnContentReport(ModerationError):
    """Nobody reports their own article, comment or account."""


class ReportRateLimited(ModerationError):
    """Too many reports: the view answers 429."""


class TargetNotReportable(ModerationError):
    """The target is not public (any more): a draft, hidden, deleted, inactive."""


class ActionNotApplicable(ModerationError):
    """The action does not fit the case as it stands (hide an account, restore what is visible)."""


# Reporting


def _check_rate_limit(reporter) -> None:
    """Count the attempt in each window; refuse once a window is full.

    Fixed windows in the shared cache: ``add`` starts a window atomically and
    ``incr`` counts atomically, so the limits hold across app processes.
    """
    for window, seconds, allowed in report_limits():
        key = f"moderation:reports:{window}:{reporter.pk}"
        cache.add(key, 0, timeout=seconds)
        try:
            count = cache.incr(key)
        except ValueError:  # the window expired between add and incr
            cache.set(key, 1, timeout=seconds)
            count = 1
        if count > allowed:
            if window == "minute":
                raise ReportRateLimited(
                    _("You are sending reports too quickly. Please wait a minute and try again.")
                )
            raise ReportRateLimited(
                _("You have sent the most reports allowed in a day. Please try again tomorrow.")
            )


def _clean_reason(reason: str, details: str) -> str:
    if reason not in Reason.values:
        raise ValidationError(_("Choose one of the listed reasons."), code="invalid_reason")
    details = (details or "").strip()
    if reason == Reason.OTHER and not details:
        raise ValidationError(
            _("Tell us what is wrong when you choose “Other”."), code="details_required"
        )
    if len(details) > DETAILS_MAX_LENGTH:
        raise ValidationError(
            _("Details can be at most %(limit)d characters.") % {"limit": DETAILS_MAX_LENGTH},
            code="details_too_long",
        )
    return details


def _lock_case(case: Case) -> Case:
    """The case row, locked until the transaction ends, with its target and owner.

    Reports arriving together and moderators acting together queue here, so
    the counters are recomputed from committed rows one writer at a time.
    (SQLite has no row locks; its IMMEDIATE transactions serialise writers.)
    """
    return (
        Case.objects.select_for_update(of=("self",))
        .select_related("article", "comment__article", "account", "owner")
        .get(pk=case.pk)
    )


def _case_for(*, target_type: str, target, owner) -> Case:
    case, _created = Case.objects.get_or_create(
        **{target_type: target}, defaults={"target_type": target_type, "owner": owner}
    )
    return _lock_case(case)


def refresh_case(case: Case) -> Case:
    """Recompute the queue's numbers from the case's open reports and save them."""
    open_reports = case.reports.open()
    cutoff = timezone.now() - auto_hide_min_account_age()
    numbers = open_reports.aggregate(
        count=Count("pk"),
        reporters=Count("reporter", distinct=True),
        established=Count("reporter", distinct=True, filter=Q(reporter__date_joined__lte=cutoff)),
        severity=Max("severity"),
        first=Min("created_at"),
        last=Max("created_at"),
    )
    case.open_report_count = numbers["count"]
    case.reporter_count = numbers["reporters"]
    case.established_reporter_count = numbers["established"]
    case.max_severity = numbers["severity"] or 0
    if numbers["count"]:
        case.first_reported_at = numbers["first"]
        case.last_reported_at = numbers["last"]
        if case.status == Case.Status.CLOSED:
            case.status = Case.Status.OPEN
    elif case.status != Case.Status.HELD:  # a held post waits for its own decision
        case.status = Case.Status.CLOSED
    case.save(
        update_fields=[
            "open_report_count",
            "reporter_count",
            "established_reporter_count",
            "max_severity",
            "first_reported_at",
            "last_reported_at",
            "status",
            "updated_at",
        ]
    )
    return case


def has_open_report(reporter, *, target_type: str, target) -> bool:
    """Whether the reader already has a report about this target that is still open."""
    return Report.objects.open().filter(reporter=reporter, **{target_type: target}).exists()


def _file_report(
    *,
    reporter,
    target_type: str,
    target,
    owner,
    reason: str,
    details: str,
    snapshot: dict,
    enforce_limits: bool,
) -> Report:
    details = _clean_reason(reason, details)
    if owner.pk == reporter.pk:
        raise OwnContentReport(_("You cannot report your own content or account."))
    if enforce_limits:
        _check_rate_limit(reporter)
        try:  # a new account's first-day cap (trust app)
            screening.limit(
                "report",
                reporter,
                done=lambda: Report.objects.filter(
                    reporter=reporter, created_at__gte=reporter.date_joined
                ).count(),
            )
        except screening.Refused as refused:
            raise ReportRateLimited(refused.messages[0]) from None
    already = _("You have already reported this. Our moderators will look at it.")
    if has_open_report(reporter, target_type=target_type, target=target):
        raise AlreadyReported(already)
    case = _case_for(target_type=target_type, target=target, owner=owner)
    try:
        with transaction.atomic():
            report = Report.objects.create(
                case=case,
                reporter=reporter,
                reason=reason,
                details=details,
                **{target_type: target},
                **snapshot,
            )
    except IntegrityError:
        # A concurrent request from the same reporter won the race: the
        # partial unique constraint refused this one.
        raise AlreadyReported(already) from None
    refresh_case(case)
    _auto_hide_if_due(case)
    return report


@transaction.atomic
def report_article(
    article: Article, *, reporter, reason: str, details: str = "", enforce_limits: bool = True
) -> Report:
    """A reader reports a published article; its title, sanitised body and cover are kept
    as evidence."""
    if not article.is_public:
        raise TargetNotReportable(_("This article cannot be reported."))
    return _file_report(
        reporter=reporter,
        target_type=TargetType.ARTICLE,
        target=article,
        owner=article.author,
        reason=reason,
        details=details,
        snapshot={
            "snapshot_title": article.title,
            "snapshot_html": article.body_html,
            "snapshot_cover": _evidence_copy(article.cover),
        },
        enforce_limits=enforce_limits,
    )


@transaction.atomic
def report_comment(
    comment: Comment, *, reporter, reason: str, details: str = "", enforce_limits: bool = True
) -> Report:
    """A reader reports a visible comment on a published article; its text is kept as evidence."""
    if not comment.is_visible or not comment.article.is_public:
        raise TargetNotReportable(_("This comment cannot be reported."))
    return _file_report(
        reporter=reporter,
        target_type=TargetType.COMMENT,
        target=comment,
        owner=comment.author,
        reason=reason,
        details=details,
        snapshot={"snapshot_text": comment.body},
        enforce_limits=enforce_limits,
    )


@transaction.atomic
def report_account(
    account, *, reporter, reason: str, details: str = "", enforce_limits: bool = True
) -> Report:
    """A reader reports an account; its public profile is kept as evidence."""
    if not account.is_active:
        raise TargetNotReportable(_("This account cannot be reported."))
    return _file_report(
        reporter=reporter,
        target_type=TargetType.ACCOUNT,
        target=account,
        owner=account,
        reason=reason,
        details=details,
        snapshot={
            "snapshot_display_name": account.display_name or account.username,
            "snapshot_tagline": account.tagline,
            "snapshot_bio": account.bio,
            "snapshot_avatar": _evidence_copy(account.avatar),
        },
        enforce_limits=enforce_limits,
    )


def _top_reason(case: Case) -> str:
    """The gravest rule the open reports name; the most named among equals."""
    counts = case.reports.open().values("reason").annotate(n=Count("pk"))
    best = max(counts, key=lambda row: (SEVERITY[row["reason"]], row["n"]), default=None)
    return best["reason"] if best else ""


def _auto_hide_if_due(case: Case) -> ModerationAction | None:
    """Hide the content pending review once enough established readers reported it.

    Only reporters whose accounts are older than the configured age count, so
    a burst of fresh sign-ups cannot take content down by themselves. Accounts
    are never hidden automatically, and content a moderator has restored
    before stays up until a moderator decides again.
    """
    if case.target_type == TargetType.ACCOUNT or case.status != Case.Status.OPEN:
        return None
    if case.established_reporter_count < auto_hide_threshold():
        return None
    if case.actions.filter(kind=Kind.RESTORE).exists():
        return None
    if not _hide_content(case):
        return None
    case.status = Case.Status.AUTO_HIDDEN
    case.save(update_fields=["status", "updated_at"])
    case.reports.filter(status=Report.Status.RECEIVED).update(status=Report.Status.UNDER_REVIEW)
    # Under review from here: the author's right of reply starts (the rights app listens).
    events.emit(events.CASE_REVIEW_STARTED, case_id=case.pk)
    action = ModerationAction.objects.create(
        case=case,
        kind=Kind.AUTO_HIDE,
        rule=_top_reason(case),
        internal_reason=_(
            "Reported by %(count)d readers with established accounts "
            "(the threshold is %(threshold)d)."
        )
        % {"count": case.established_reporter_count, "threshold": auto_hide_threshold()},
    )
    _notify_owner(action)
    return action


# Moderator actions


def _hide_content(case: Case) -> bool:
    if case.target_type == TargetType.ARTICLE:
        return article_services.hide_article(case.article)
    return comment_services.hide_comment_as_moderator(case.comment)


def _restore_content(case: Case) -> bool:
    if case.target_type == TargetType.ARTICLE:
        return article_services.restore_article(case.article)
    return comment_services.restore_comment_as_moderator(case.comment)


def _can_hide(case: Case) -> bool:
    if case.target_type == TargetType.ARTICLE:
        hideable = case.article.status == Article.Status.PUBLISHED
    elif case.target_type == TargetType.COMMENT:
        hideable = case.comment.status in {CommentStatus.VISIBLE, CommentStatus.HIDDEN_BY_AUTHOR}
    else:
        return False
    # An automatic hide waits for a moderator to confirm it.
    return hideable or (case.status == Case.Status.AUTO_HIDDEN and case.target_is_hidden)


def available_actions(case: Case, reports: list[Report]) -> list[str]:
    """The actions that fit the case as it stands, in the order the case page offers them.

    ``reports`` are the case's reports, already loaded by the page.
    """
    kinds = []
    if any(report.status == Report.Status.RECEIVED for report in reports):
        kinds.append(Kind.REVIEW)
    if _can_hide(case):
        kinds.append(Kind.HIDE)
    if case.target_is_hidden:
        kinds.append(Kind.RESTORE)
    if case.open_report_count and case.status != Case.Status.AUTO_HIDDEN:
        kinds.append(Kind.DISMISS)
    if not case.owner.is_staff:
        kinds += [Kind.WARN, Kind.SUSPEND]
    if case.owner.is_suspended:
        kinds.append(Kind.LIFT_SUSPENSION)
    if case.status == Case.Status.HELD:
        kinds = [Kind.RELEASE, Kind.REJECT, *kinds]
    return kinds


def _clean_decision(
    kind: str,
    *,
    case: Case,
    moderator,
    rule: str,
    public_reason: str,
    internal_reason: str,
    rule_required: bool = True,
) -> tuple[str, str, str]:
    if moderator.pk == case.owner_id:
        raise ActionNotApplicable(_("You cannot moderate your own content or account."))
    public_reason = (public_reason or "").strip()
    internal_reason = (internal_reason or "").strip()
    rule = rule or ""
    if not public_reason:
        raise ValidationError(_("Give the reason the reporters and the author will read."))
    if len(public_reason) > REASON_MAX_LENGTH or len(internal_reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            _("A reason can be at most %(limit)d characters.") % {"limit": REASON_MAX_LENGTH}
        )
    if rule and rule not in Reason.values:
        raise ValidationError(_("Choose one of the listed rules."))
    if rule_required and kind in {Kind.HIDE, Kind.WARN, Kind.SUSPEND, Kind.REJECT} and not rule:
        raise ValidationError(_("Choose the rule that was broken."))
    return rule, public_reason, internal_reason


def _record(
    case: Case,
    *,
    kind: str,
    moderator,
    rule: str = "",
    public_reason: str = "",
    internal_reason: str = "",
    suspended_until: datetime | None = None,
    urgent_reason: str = "",
    resolve_as: str | None = None,
    tell_owner: bool = True,
) -> ModerationAction:
    """Write the one audit record of an action, resolve the open reports it settles,
    recompute the case and tell the author when it concerns them (unless
    ``tell_owner`` is false: a legal order that forbids telling them)."""
    action = ModerationAction.objects.create(
        case=case,
        kind=kind,
        moderator=moderator,
        rule=rule,
        public_reason=public_reason,
        internal_reason=internal_reason,
        suspended_until=suspended_until,
        urgent_reason=urgent_reason,
    )
    if resolve_as is not None:
        resolved = list(case.reports.open().values_list("pk", "reporter_id"))
        case.reports.open().update(
            status=resolve_as, resolved_by=action, resolved_at=action.created_at
        )
        case.status = Case.Status.CLOSED
    refresh_case(case)
    if resolve_as is not None:
        notification_services.notify_report_outcome(action, reports=resolved)
    if tell_owner and kind in ModerationAction.NOTICE_KINDS:
        _notify_owner(action)
    return action


@transaction.atomic
def start_review(case: Case, *, moderator) -> ModerationAction:
    """A moderator takes the case: its received reports show as under review."""
    case = _lock_case(case)
    if not case.reports.filter(status=Report.Status.RECEIVED).exists():
        raise ActionNotApplicable(_("There are no new reports to review."))
    if moderator.pk == case.owner_id:
        raise ActionNotApplicable(_("You cannot moderate your own content or account."))
    case.reports.filter(status=Report.Status.RECEIVED).update(status=Report.Status.UNDER_REVIEW)
    # The author's right of reply starts here (the rights app listens).
    events.emit(events.CASE_REVIEW_STARTED, case_id=case.pk)
    return _record(case, kind=Kind.REVIEW, moderator=moderator)


@transaction.atomic
def hide_target(
    case: Case,
    *,
    moderator,
    rule: str,
    public_reason: str,
    internal_reason: str = "",
    urgent_reason: str = "",
) -> ModerationAction:
    """Hide the reported article or comment (or confirm an automatic hide).

    Nothing is deleted: the public sees a notice or a placeholder, the author
    and moderators still see the content. The open reports count as acted on.
    Before it, the checks in core.decisions may refuse (the author's right of
    reply, rights app); ``urgent_reason`` is the moderator's recorded reason to
    act before the author's wait ends.
    """
    case = _lock_case(case)
    rule, public_reason, internal_reason = _clean_decision(
        Kind.HIDE,
        case=case,
        moderator=moderator,
        rule=rule,
        public_reason=public_reason,
        internal_reason=internal_reason,
    )
    urgent_reason = (urgent_reason or "").strip()
    if len(urgent_reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            _("A reason can be at most %(limit)d characters.") % {"limit": REASON_MAX_LENGTH}
        )
    if not _can_hide(case):
        raise ActionNotApplicable(_("This cannot be hidden: it is not visible or not content."))
    decisions.check(
        decisions.Decision(kind=Kind.HIDE, case=case, rule=rule, urgent_reason=urgent_reason)
    )
    _hide_content(case)
    return _record(
        case,
        kind=Kind.HIDE,
        moderator=moderator,
        rule=rule,
        public_reason=public_reason,
        internal_reason=internal_reason,
        urgent_reason=urgent_reason,
        resolve_as=Report.Status.ACTION_TAKEN,
    )


@transaction.atomic
def restore_target(
    case: Case, *, moderator, public_reason: str, internal_reason: str = "", rule: str = ""
) -> ModerationAction:
    """Show a hidden article or comment again exactly as it was; open reports are dismissed."""
    case = _lock_case(case)
    rule, public_reason, internal_reason = _clean_decision(
        Kind.RESTORE,
        case=case,
        moderator=moderator,
        rule=rule,
        public_reason=public_reason,
        internal_reason=internal_reason,
    )
    if not case.target_is_hidden:
        raise ActionNotApplicable(_("This is not hidden by a moderator."))
    _restore_content(case)
    return _record(
        case,
        kind=Kind.RESTORE,
        moderator=moderator,
        rule=rule,
        public_reason=public_reason,
        internal_reason=internal_reason,
        resolve_as=Report.Status.DISMISSED,
    )


@transaction.atomic
def dismiss_reports(
    case: Case, *, moderator, public_reason: str, internal_reason: str = "", rule: str = ""
) -> ModerationAction:
    """Close the open reports without acting on the target.

    On a case hidden automatically, dismissing means the content did nothing
    wrong, so it is restored: the record is then a restore.
    """
    case = _lock_case(case)
    if case.status == Case.Status.AUTO_HIDDEN and case.target_is_hidden:
        return restore_target(
            case,
            moderator=moderator,
            public_reason=public_reason,
            internal_reason=internal_reason,
            rule=rule,
        )
    rule, public_reason, internal_reason = _clean_decision(
        Kind.DISMISS,
        case=case,
        moderator=moderator,
        rule=rule,
        public_reason=public_reason,
        internal_reason=internal_reason,
    )
    if not case.open_report_count:
        raise ActionNotApplicable(_("There are no open reports to dismiss."))
    return _record(
        case,
        kind=Kind.DISMISS,
        moderator=moderator,
        rule=rule,
        public_reason=public_reason,
        internal_reason=internal_reason,
        resolve_as=Report.Status.DISMISSED,
    )


def _refuse_staff_owner(case: Case) -> None:
    if case.owner.is_staff:
        raise ActionNotApplicable(
            _("Staff accounts are not warned or suspended here; ask an administrator.")
        )


@transaction.atomic
def warn_account(
    case: Case, *, moderator, rule: str, public_reason: str, internal_reason: str = ""
) -> ModerationAction:
    """Warn the author of the reported content (or the reported account).

    The content stays as it is; the open reports count as acted on.
    """
    case = _lock_case(case)
    rule, public_reason, internal_reason = _clean_decision(
        Kind.WARN,
        case=case,
        moderator=moderator,
        rule=rule,
        public_reason=public_reason,
        internal_reason=internal_reason,
    )
    _refuse_staff_owner(case)
    return _record(
        case,
        kind=Kind.WARN,
        moderator=moderator,
        rule=rule,
        public_reason=public_reason,
        internal_reason=internal_reason,
        resolve_as=Report.Status.ACTION_TAKEN,
    )


@transaction.atomic
def suspend_account_for(
    case: Case,
    *,
    moderator,
    rule: str,
    public_reason: str,
    internal_reason: str = "",
    until: datetime | None = None,
) -> ModerationAction:
    """Suspend the author until a time, or indefinitely when ``until`` is None.

    The account cannot sign in and every session it has ends; its articles and
    comments stay as moderators left them. The open reports count as acted on.
    """
    case = _lock_case(case)
    rule, public_reason, internal_reason = _clean_decision(
        Kind.SUSPEND,
        case=case,
        moderator=moderator,
        rule=rule,
        public_reason=public_reason,
        internal_reason=internal_reason,
    )
    _refuse_staff_owner(case)
    if until is not None and until <= timezone.now():
        raise ValidationError(_("The end of the suspension must be in the future."))
    account_services.suspend_account(case.owner, until=until)
    return _record(
        case,
        kind=Kind.SUSPEND,
        moderator=moderator,
        rule=rule,
        public_reason=public_reason,
        internal_reason=internal_reason,
        suspended_until=until,
        resolve_as=Report.Status.ACTION_TAKEN,
    )


@transaction.atomic
def suspend_account_by_order(
    account,
    *,
    moderator,
    public_reason: str,
    internal_reason: str = "",
    until: datetime | None = None,
    tell_owner: bool = True,
) -> ModerationAction:
    """Suspend an account a legal order names (rights app), on the account's own
    case (opened if nobody reported it), recorded like any suspension, so it is
    lifted, appealed and reported the normal way. No house rule is named: the
    order is the ground, and its reference goes in the reasons. Open reports
    about the account stay open for a moderator. ``tell_owner`` false: no
    notice, as the order forbids it."""
    case, _created = Case.objects.get_or_create(
        account=account, defaults={"target_type": TargetType.ACCOUNT, "owner": account}
    )
    case = _lock_case(case)
    _rule, public_reason, internal_reason = _clean_decision(
        Kind.SUSPEND,
        case=case,
        moderator=moderator,
        rule="",
        public_reason=public_reason,
        internal_reason=internal_reason,
        rule_required=False,
    )
    _refuse_staff_owner(case)
    if until is not None and until <= timezone.now():
        raise ValidationError(_("The end of the suspension must be in the future."))
    account_services.suspend_account(account, until=until)
    return _record(
        case,
        kind=Kind.SUSPEND,
        moderator=moderator,
        public_reason=public_reason,
        internal_reason=internal_reason,
        suspended_until=until,
        tell_owner=tell_owner,
    )


@transaction.atomic
def lift_account_suspension(
    case: Case, *, moderator, public_reason: str, internal_reason: str = "", rule: str = ""
) -> ModerationAction:
    """End the author's suspension early. Open reports stay open."""
    case = _lock_case(case)
    rule, public_reason, internal_reason = _clean_decision(
        Kind.LIFT_SUSPENSION,
        case=case,
        moderator=moderator,
        rule=rule,
        public_reason=public_reason,
        internal_reason=internal_reason,
    )
    if not case.owner.is_suspended:
        raise ActionNotApplicable(_("This account is not suspended."))
    account_services.lift_suspension(case.owner)
    return _record(
        case,
        kind=Kind.LIFT_SUSPENSION,
        moderator=moderator,
        rule=rule,
        public_reason=public_reason,
        internal_reason=internal_reason,
    )


# Posts held by the spam rules (the trust app; README, "Trust and spam"). A held
# post is a row of the queue like a reported one: its case opens when it is held
# and closes with the decision, which is audited here and learnt from by trust.


def open_held_case(kind: str, object_id: int, hold: screening.Hold) -> Case:
    """core.screening callback (same transaction as the hold): the post joins the queue."""
    if kind == screening.ARTICLE:
        target = Article.objects.select_related("author").get(pk=object_id)
    else:
        target = Comment.objects.select_related("author").get(pk=object_id)
    case = _case_for(target_type=kind, target=target, owner=target.author)
    case.status = Case.Status.HELD
    if not case.open_report_count:
        case.first_reported_at = timezone.now()  # waiting since: oldest first among holds
    case.save(update_fields=["status", "first_reported_at", "updated_at"])
    return case


def _pending_hold(case: Case):
    hold = trust_services.pending_hold(article_id=case.article_id, comment_id=case.comment_id)
    if case.status != Case.Status.HELD or hold is None:
        raise ActionNotApplicable(_("Nothing in this case is waiting for review."))
    return hold


@transaction.atomic
def release_held(
    case: Case, *, moderator, public_reason: str = "", internal_reason: str = "", rule: str = ""
) -> ModerationAction:
    """Publish a held post as if it had never been held; the classifier learns it is fine."""
    case = _lock_case(case)
    if moderator.pk == case.owner_id:
        raise ActionNotApplicable(_("You cannot moderate your own content or account."))
    public_reason, internal_reason = (public_reason or "").strip(), (internal_reason or "").strip()
    if len(public_reason) > REASON_MAX_LENGTH or len(internal_reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            _("A reason can be at most %(limit)d characters.") % {"limit": REASON_MAX_LENGTH}
        )
    trust_services.release(_pending_hold(case), by=moderator)
    case.status = Case.Status.CLOSED  # open again only if readers have reported it since
    return _record(
        case,
        kind=Kind.RELEASE,
        moderator=moderator,
        public_reason=public_reason,
        internal_reason=internal_reason,
    )


@transaction.atomic
def reject_held(
    case: Case, *, moderator, rule: str, public_reason: str, internal_reason: str = ""
) -> ModerationAction:
    """Keep a held post from the public (never deleted); the classifier learns it is spam."""
    case = _lock_case(case)
    rule, public_reason, internal_reason = _clean_decision(
        Kind.REJECT,
        case=case,
        moderator=moderator,
        rule=rule,
        public_reason=public_reason,
        internal_reason=internal_reason,
    )
    trust_services.reject(_pending_hold(case), by=moderator)
    case.status = Case.Status.CLOSED
    return _record(
        case,
        kind=Kind.REJECT,
        moderator=moderator,
        rule=rule,
        public_reason=public_reason,
        internal_reason=internal_reason,
    )


# Telling the author


def _notify_owner(action: ModerationAction) -> None:
    """Tell the author what happened and why: a notification now, and an email
    queued as a task once the action is committed (never sent in the request;
    a mail server failure cannot undo the action).

    Written in the site's language: accounts keep no language preference yet.
    """
    owner = action.case.owner
    notification_services.notify_moderation(action, owner=owner)
    if not owner.email:
        return
    context = {
        "action": action,
        "case": action.case,
        "owner": owner,
        "site_name": settings.SITE_NAME,
    }
    with translation.override(owner.mail_language):
        subject = render_to_string("moderation/email/notice_subject.txt", context)
        body = render_to_string("moderation/email/notice_body.txt", context)
    subject = " ".join(subject.split())
    transaction.on_commit(partial(send_notice.enqueue, subject, body, owner.email), robust=True)
