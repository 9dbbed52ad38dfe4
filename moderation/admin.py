"""The moderation queue in the Django admin.

``Case`` is the queue: one row per reported target, most urgent first. Its page
shows every report with the evidence beside the live content, the author's
history, and a form per action. Every action (on the page or in bulk) goes
through moderation.services, which writes the audit record. Reports and
audit records are read-only here, for superusers too.
"""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, OuterRef, Prefetch
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.timesince import timesince
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, ngettext

from accounts.models import private_fields
from articles.models import ArticleRevision
from trust import services as trust_services
from trust.levels import standing as trust_standing
from trust.models import Level

from . import services
from .forms import ModerationActionForm
from .models import SEVERITY, Case, ModerationAction, Reason, Report, TargetType, evidence_source

Kind = ModerationAction.Kind

# One service per action; the case page and the bulk actions share them.
ACTION_SERVICES = {
    Kind.REVIEW: services.start_review,
    Kind.HIDE: services.hide_target,
    Kind.RESTORE: services.restore_target,
    Kind.DISMISS: services.dismiss_reports,
    Kind.WARN: services.warn_account,
    Kind.SUSPEND: services.suspend_account_for,
    Kind.LIFT_SUSPENSION: services.lift_account_suspension,
    Kind.RELEASE: services.release_held,
    Kind.REJECT: services.reject_held,
}

ACTION_BUTTONS = {
    Kind.REVIEW: gettext_lazy("Start review"),
    Kind.HIDE: gettext_lazy("Hide"),
    Kind.RESTORE: gettext_lazy("Restore"),
    Kind.DISMISS: gettext_lazy("Dismiss reports"),
    Kind.WARN: gettext_lazy("Warn the author"),
    Kind.SUSPEND: gettext_lazy("Suspend the author"),
    Kind.LIFT_SUSPENSION: gettext_lazy("Lift the suspension"),
    Kind.RELEASE: gettext_lazy("Release (publish it)"),
    Kind.REJECT: gettext_lazy("Reject (keep it unpublished)"),
}

# Strings of Django itself that its Indonesian catalogue lacks or gets wrong,
# translated in ours (LOCALE_PATHS wins): the blank choice of every select in
# the admin, and the action bar's button ("Run", which Django's catalogue
# renders "Berjalan", "walking").
DJANGO_STRINGS = (gettext_noop("- Select an option -"), gettext_noop("Run"))

HISTORY_SHOWN = 50
# The reported article's newest revisions, each linked to its diff on the site.
REVISIONS_SHOWN = 20


class CaseStatusFilter(admin.SimpleListFilter):
    """The queue opens on what needs review; closed cases are one click away."""

    title = gettext_lazy("status")
    parameter_name = "status"
    NEEDS_REVIEW = "review"
    ALL = "all"

    def lookups(self, request, model_admin):
        return [
            (self.NEEDS_REVIEW, _("Needs review (open or hidden automatically)")),
            *Case.Status.choices,
            (self.ALL, _("All")),
        ]

    def value(self):
        return super().value() or self.NEEDS_REVIEW

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == str(lookup),
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        value = self.value()
        if value == self.NEEDS_REVIEW:
            return queryset.needing_review()
        if value in Case.Status.values:
            return queryset.filter(status=value)
        return queryset


class ReasonFilter(admin.SimpleListFilter):
    """Cases with at least one report for the reason (EXISTS, so rows never repeat)."""

    title = gettext_lazy("reason")
    parameter_name = "reason"

    def lookups(self, request, model_admin):
        return Reason.choices

    def queryset(self, request, queryset):
        if self.value() in Reason.values:
            reported = Report.objects.filter(case=OuterRef("pk"), reason=self.value())
            return queryset.filter(Exists(reported))
        return queryset


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    # Urgency and waiting time come right after what was reported, so a
    # moderator at 1280 px sees them without scrolling sideways (issue 18).
    list_display = [
        "target_column",
        "max_severity",
        "waiting_column",
        "reporter_count",
        "reasons_column",
        "status_column",
        "owner_column",
    ]
    list_display_links = ["target_column"]
    list_filter = [CaseStatusFilter, ReasonFilter, "target_type"]
    list_select_related = ["article", "comment", "account", "owner"]
    search_fields = ["article__title", "comment__body", "owner__username", "owner__display_name"]
    ordering = ["-reporter_count", "-max_severity", "first_reported_at", "pk"]
    list_per_page = 50
    show_full_result_count = False
    actions = [
        "hide_selected",
        "restore_selected",
        "dismiss_selected",
        "warn_selected",
        "suspend_selected",
        "release_selected",
        "reject_selected",
    ]

    def get_changelist(self, request, **kwargs):
        return HeldAwareChangeList

    def changelist_view(self, request, extra_context=None):
        extra_context = {"title": _("Moderation queue"), **(extra_context or {})}
        return super().changelist_view(request, extra_context=extra_context)

    def get_queryset(self, request):
        open_reports = Report.objects.open().only("id", "case_id", "reason", "severity")
        return (
            super()
            .get_queryset(request)
            .defer("article__body", "article__body_html", "comment__body_html")
            .prefetch_related(Prefetch("reports", queryset=open_reports, to_attr="open_reports"))
        )

    def has_add_permission(self, request):
        return False  # cases open when readers report

    def has_delete_permission(self, request, obj=None):
        return False  # the record of what was reported stays

    # Queue columns

    @admin.display(description=gettext_lazy("reported content"))
    def target_column(self, case):
        return format_html(
            '<span class="quiet">{}</span><br>{}', case.get_target_type_display(), case.target_label
        )

    @admin.display(description=gettext_lazy("author"), ordering="owner__username")
    def owner_column(self, case):
        suffix = f" ({_('suspended')})" if case.owner.is_suspended else ""
        return f"{case.owner.name} @{case.owner.username}{suffix}"

    @admin.display(description=gettext_lazy("status"), ordering="status")
    def status_column(self, case):
        """The case's state, and what the public sees of the target now."""
        if case.status == Case.Status.AUTO_HIDDEN:
            state = format_html('<strong class="case-auto-hidden">{}</strong>', _("Auto-hidden"))
        else:
            state = case.get_status_display()
        return format_html('{}<br><span class="quiet">{}</span>', state, live_state(case))

    @admin.display(description=gettext_lazy("reasons"))
    def reasons_column(self, case):
        hold = getattr(case, "pending_hold", None)
        if hold is not None:
            return hold_summary(hold)
        counts = {}
        for report in case.open_reports:
            counts[report.reason] = counts.get(report.reason, 0) + 1
        ordered = sorted(counts.items(), key=lambda item: (-SEVERITY[item[0]], -item[1]))
        return ", ".join(f"{Reason(reason).label} ({count})" for reason, count in ordered) or "—"

    @admin.display(description=gettext_lazy("waiting since"), ordering="first_reported_at")
    def waiting_column(self, case):
        if not case.needs_review or case.first_reported_at is None:
            return "—"
        return format_html(
            '<time datetime="{}" title="{}">{}</time>',
            case.first_reported_at.isoformat(timespec="seconds"),
            date_format(timezone.localtime(case.first_reported_at), "DATETIME_FORMAT"),
            _("%(age)s ago") % {"age": timesince(case.first_reported_at)},
        )

    # The case page

    def get_urls(self):
        return [
            path(
                "<path:object_id>/act/<str:kind>/",
                self.admin_site.admin_view(self.act_view),
                name="moderation_case_act",
            ),
            *super().get_urls(),
        ]

    def _get_case(self, request, object_id) -> Case:
        case = self.get_object(request, object_id)
        if case is None:
            raise Http404(_("This case does not exist."))
        return case

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The case page. Nothing on a case is edited by hand: it changes only
        through the actions, so the page has no model form and takes no POST."""
        if request.method not in {"GET", "HEAD"}:
            return HttpResponseNotAllowed(["GET", "HEAD"])
        case = self._get_case(request, object_id)
        if not self.has_view_or_change_permission(request, case):
            raise PermissionDenied
        return self._render_case(request, case)

    def _render_case(self, request, case, *, bound_form=None, status=200):
        reports = list(
            case.reports.select_related("reporter", "resolved_by__moderator").order_by(
                "created_at", "pk"
            )
        )
        can_act = self.has_change_permission(request, case) and request.user.pk != case.owner_id
        forms = {}
        if can_act:
            for kind in services.available_actions(case, reports):
                if bound_form is not None and bound_form.kind == kind:
                    forms[kind] = bound_form
                else:
                    forms[kind] = ModerationActionForm(
                        kind=kind, initial_rule=_top_open_reason(reports)
                    )
        history = list(ModerationAction.objects.about_owner(case.owner)[:HISTORY_SHOWN])
        other_cases = (
            Case.objects.filter(owner=case.owner).exclude(pk=case.pk).for_queue().by_urgency()
        )[:20]
        revisions = (
            list(
                ArticleRevision.objects.filter(article_id=case.article_id)
                .select_related("created_by")
                .defer("title", "excerpt", "body", *private_fields("created_by__"))
                .order_by("-created_at", "-id")[:REVISIONS_SHOWN]
            )
            if case.article_id
            else []
        )
        context = {
            **self.admin_site.each_context(request),
            **held_context(case),
            "title": str(case),
            "revisions": revisions,
            "subtitle": None,
            "opts": self.opts,
            "case": case,
            "reports": [(report, snapshot_differs(report, case)) for report in reports],
            "live_url": live_url(case),
            "live_state": live_state(case),
            "history": history,
            "other_cases": list(other_cases),
            "action_forms": [
                (
                    kind,
                    ACTION_BUTTONS[kind],
                    form,
                    reverse("admin:moderation_case_act", args=[case.pk, kind]),
                )
                for kind, form in forms.items()
            ],
            "can_act": can_act,
            "is_own_case": request.user.pk == case.owner_id,
            "has_view_permission": True,
            "has_change_permission": self.has_change_permission(request, case),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(
            request, "admin/moderation/case/case_page.html", context, status=status
        )

    def act_view(self, request, object_id, kind):
        """One action from the case page: POST only, a reason required, through the service."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        case = self._get_case(request, object_id)
        if not self.has_change_permission(request, case):
            raise PermissionDenied
        if kind not in ACTION_SERVICES:
            raise Http404
        form = ModerationActionForm(request.POST, kind=kind)
        if not form.is_valid():
            self.message_user(request, _("Please correct the errors below."), messages.ERROR)
            return self._render_case(request, case, bound_form=form, status=400)
        try:
            action = ACTION_SERVICES[kind](case, moderator=request.user, **form.service_kwargs())
        except services.ModerationError as error:
            self.message_user(request, error.message, messages.ERROR)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            # Starting a review settles nothing: its reports stay open (issue 18).
            done = (
                _("Review started: the reports stay open until you decide.")
                if kind == Kind.REVIEW
                else held_done_message(action)
                if kind in HELD_KINDS
                else _("Done: %(action)s. The reports it settled are closed.")
                % {"action": action.get_kind_display()}
            )
            self.message_user(request, done, messages.SUCCESS)
        # The fragment overrides the form's #case-actions: back to the top, where the message is.
        return redirect(reverse("admin:moderation_case_change", args=[case.pk]) + "#content-start")

    # Bulk actions: the same services, with the reason asked on an intermediate page.

    def _bulk(self, request, queryset, kind, action_name):
        applying = "apply" in request.POST
        form = ModerationActionForm(request.POST if applying else None, kind=kind)
        if applying and form.is_valid():
            done, refused = 0, []
            for case in queryset:
                try:
                    ACTION_SERVICES[kind](case, moderator=request.user, **form.service_kwargs())
                except services.ModerationError as error:
                    refused.append(f"{case}: {error.message}")
                except ValidationError as error:
                    refused.append(f"{case}: {' '.join(error.messages)}")
                else:
                    done += 1
            if done:
                self.message_user(
                    request,
                    ngettext("%(count)d case done.", "%(count)d cases done.", done)
                    % {"count": done},
                    messages.SUCCESS,
                )
            for message in refused:
                self.message_user(request, message, messages.WARNING)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("%(action)s: give the reason") % {"action": ACTION_BUTTONS[kind]},
            "opts": self.opts,
            "form": form,
            "cases": queryset,
            "action_name": action_name,
            "button": ACTION_BUTTONS[kind],
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        request.current_app = self.admin_site.name
        status = 400 if applying else 200
        return TemplateResponse(
            request, "admin/moderation/case/bulk_action.html", context, status=status
        )

    @admin.action(description=gettext_lazy("Hide the selected content"), permissions=["change"])
    def hide_selected(self, request, queryset):
        return self._bulk(request, queryset, Kind.HIDE, "hide_selected")

    @admin.action(description=gettext_lazy("Restore the selected content"), permissions=["change"])
    def restore_selected(self, request, queryset):
        return self._bulk(request, queryset, Kind.RESTORE, "restore_selected")

    @admin.action(description=gettext_lazy("Dismiss the selected reports"), permissions=["change"])
    def dismiss_selected(self, request, queryset):
        return self._bulk(request, queryset, Kind.DISMISS, "dismiss_selected")

    @admin.action(description=gettext_lazy("Warn the selected authors"), permissions=["change"])
    def warn_selected(self, request, queryset):
        return self._bulk(request, queryset, Kind.WARN, "warn_selected")

    @admin.action(description=gettext_lazy("Suspend the selected authors"), permissions=["change"])
    def suspend_selected(self, request, queryset):
        return self._bulk(request, queryset, Kind.SUSPEND, "suspend_selected")

    @admin.action(
        description=gettext_lazy("Release the selected held posts"), permissions=["change"]
    )
    def release_selected(self, request, queryset):
        return self._bulk(request, queryset, Kind.RELEASE, "release_selected")

    @admin.action(
        description=gettext_lazy("Reject the selected held posts"), permissions=["change"]
    )
    def reject_selected(self, request, queryset):
        return self._bulk(request, queryset, Kind.REJECT, "reject_selected")


# Posts held by the spam rules, as rows of the queue (README, "Trust and spam").


class HeldAwareChangeList(ChangeList):
    """The queue's page, with each held row's pending hold attached (one query a page)."""

    def get_results(self, request):
        super().get_results(request)
        held = [case for case in self.result_list if case.status == Case.Status.HELD]
        holds = trust_services.pending_holds(held)
        for case in self.result_list:
            case.pending_hold = holds.get((case.target_type, case.article_id or case.comment_id))


def hold_summary(hold) -> str:
    """What held the post, for its queue row: the rule, what fired, the score, the level."""
    score = "" if hold.score is None else f" · {hold.score:.2f}"
    return format_html(
        '<strong class="case-held-rule">{}</strong>{}<br><span class="quiet">{}{}</span>',
        _("Held: %(rule)s") % {"rule": hold.rule},
        score,
        Truncator(hold.detail).chars(80),
        f" · {Level(hold.level).label}",
    )


HELD_KINDS = (Kind.RELEASE, Kind.REJECT)


def held_done_message(action) -> str:
    """A decision on a held post settles no report: say only what was done."""
    return _("Done: %(action)s.") % {"action": action.get_kind_display()}


def held_context(case: Case) -> dict:
    """The case page's part about a pending hold: why, and the writer's standing."""
    if case.status != Case.Status.HELD:
        return {"hold": None}
    hold = trust_services.pending_hold(article_id=case.article_id, comment_id=case.comment_id)
    if hold is None:
        return {"hold": None}
    standing = trust_standing(case.owner)
    return {"hold": hold, "standing": standing, "standing_label": Level(standing.level).label}


def _top_open_reason(reports) -> str:
    """The form's suggested rule: the gravest reason among the open reports."""
    open_reasons = [report for report in reports if report.is_open]
    if not open_reasons:
        return ""
    return max(open_reasons, key=lambda report: report.severity).reason


def live_url(case: Case) -> str:
    if case.target_type == TargetType.ARTICLE:
        return case.article.get_absolute_url()
    if case.target_type == TargetType.COMMENT:
        return reverse("comments:permalink", args=[case.comment_id])
    return case.account.get_absolute_url()


def live_state(case: Case) -> str:
    if case.target_type == TargetType.ARTICLE:
        return case.article.get_status_display()
    if case.target_type == TargetType.COMMENT:
        return case.comment.get_status_display()
    if case.account.is_suspended:
        return _("Suspended")
    return _("Active") if case.account.is_active else _("Inactive")


def snapshot_differs(report: Report, case: Case) -> bool:
    """Whether the author changed the content since this report was made."""
    if case.target_type == TargetType.ARTICLE:
        return (
            report.snapshot_title,
            report.snapshot_html,
            evidence_source(report.snapshot_cover),
        ) != (case.article.title, case.article.body_html, case.article.cover.name or "")
    if case.target_type == TargetType.COMMENT:
        return report.snapshot_text != case.comment.body
    account = case.account
    return (
        report.snapshot_display_name,
        report.snapshot_tagline,
        report.snapshot_bio,
        evidence_source(report.snapshot_avatar),
    ) != (
        account.display_name or account.username,
        account.tagline,
        account.bio,
        account.avatar.name or "",
    )


class ReadOnlyAdmin(admin.ModelAdmin):
    """Visible to moderators, changed by nobody here: only the services write these rows."""

    actions = None
    view_on_site = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ModerationAction)
class ModerationActionAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "kind",
        "case_column",
        "moderator_column",
        "rule",
        "public_reason_column",
        "resolved_count",
    ]
    list_filter = ["kind", "rule", "case__target_type"]
    list_select_related = ["case__article", "case__comment", "case__account", "moderator"]
    search_fields = [
        "public_reason",
        "internal_reason",
        "moderator__username",
        "case__owner__username",
    ]
    date_hierarchy = "created_at"
    ordering = ["-created_at", "-pk"]
    show_full_result_count = False
    fields = [
        "created_at",
        "kind",
        "case",
        "moderator",
        "rule",
        "public_reason",
        "internal_reason",
        "suspended_until",
        "urgent_reason",
        "resolved_reports_column",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .defer("case__article__body", "case__article__body_html", "case__comment__body_html")
            .annotate(resolved=Count("resolved_reports"))
        )

    @admin.display(description=gettext_lazy("case"))
    def case_column(self, action):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:moderation_case_change", args=[action.case_id]),
            action.case,
        )

    @admin.display(description=gettext_lazy("moderator"), ordering="moderator__username")
    def moderator_column(self, action):
        return action.moderator or _("(automatic)")

    @admin.display(description=gettext_lazy("public reason"))
    def public_reason_column(self, action):
        return Truncator(action.public_reason).chars(80)

    @admin.display(description=gettext_lazy("reports resolved"), ordering="resolved")
    def resolved_count(self, action):
        return action.resolved

    @admin.display(description=gettext_lazy("reports resolved"))
    def resolved_reports_column(self, action):
        reports = action.resolved_reports.select_related("reporter").order_by("pk")
        return (
            format_html_join(
                ", ",
                "#{} ({}, {})",
                ((report.pk, report.reporter, report.get_reason_display()) for report in reports),
            )
            or "—"
        )


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "reason", "status", "reporter", "target_column", "case_column"]
    list_filter = ["status", "reason", "case__target_type"]
    list_select_related = ["reporter"]
    search_fields = [
        "reporter__username",
        "snapshot_title",
        "snapshot_text",
        "snapshot_display_name",
    ]
    date_hierarchy = "created_at"
    ordering = ["-created_at", "-pk"]
    show_full_result_count = False
    fields = [
        "created_at",
        "reporter",
        "case",
        "reason",
        "details",
        "status",
        "resolved_at",
        "resolved_by",
        "snapshot_title",
        "snapshot_text",
        "snapshot_display_name",
        "snapshot_tagline",
        "snapshot_bio",
        "snapshot_avatar",
        "snapshot_cover",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).defer("snapshot_html")

    @admin.display(description=gettext_lazy("reported"))
    def target_column(self, report):
        return report.snapshot_label

    @admin.display(description=gettext_lazy("case"))
    def case_column(self, report):
        return format_html(
            '<a href="{}">#{}</a>',
            reverse("admin:moderation_case_change", args=[report.case_id]),
            report.case_id,
        )
