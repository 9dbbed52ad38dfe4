"""Admin for the rights app: correction requests on their 3x24-hour clock,
exports and consent history (read only), and the personal-data access log,
which also records every staff view of a user's change page."""

import json

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Case, When
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.admin import UserAdmin as AccountsUserAdmin

from . import services
from .models import (
    Appeal,
    ConsentChange,
    CorrectionRequest,
    DataExport,
    GovernmentOrder,
    OrderTarget,
    PersonalDataAccess,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CorrectionRequest)
class CorrectionRequestAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at", "due_at", "time_left", "status"]
    list_filter = ["status"]
    list_select_related = ["user"]
    readonly_fields = ["user", "what", "created_at", "due_at", "closed_at", "closed_by"]
    fields = ["user", "what", "created_at", "due_at", "status", "answer", "closed_at", "closed_by"]
    actions = ["mark_done"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        """Open ones first, the soonest due on top (index rights_correction_due)."""
        open_first = Case(When(status=CorrectionRequest.Status.OPEN, then=0), default=1)
        return super().get_queryset(request).order_by(open_first, "due_at", "pk")

    @admin.display(description=_("time left"))
    def time_left(self, obj):
        if obj.status != CorrectionRequest.Status.OPEN:
            return "—"
        left = obj.due_at - timezone.now()
        hours = int(left.total_seconds() // 3600)
        if left.total_seconds() < 0:
            return _("overdue by %(hours)d h") % {"hours": -hours}
        return _("%(hours)d h") % {"hours": hours}

    def save_model(self, request, obj, form, change):
        """Closing goes through the service (who and when recorded, once)."""
        if "status" in form.changed_data and obj.status != CorrectionRequest.Status.OPEN:
            try:
                services.close_correction(
                    obj, by=request.user, status=obj.status, answer=obj.answer
                )
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            return
        CorrectionRequest.objects.filter(pk=obj.pk).update(answer=obj.answer)

    @admin.action(description=_("Mark as corrected"))
    def mark_done(self, request, queryset):
        closed = 0
        for item in queryset.filter(status=CorrectionRequest.Status.OPEN):
            services.close_correction(
                item, by=request.user, status=CorrectionRequest.Status.DONE, answer=item.answer
            )
            closed += 1
        self.message_user(request, _("%(count)d closed.") % {"count": closed})


@admin.register(DataExport)
class DataExportAdmin(ReadOnlyAdmin):
    list_display = ["user", "status", "progress", "created_at", "finished_at", "expires_at"]
    list_filter = ["status"]
    list_select_related = ["user"]
    ordering = ["-created_at"]
    exclude = ["file_name"]


@admin.register(ConsentChange)
class ConsentChangeAdmin(ReadOnlyAdmin):
    list_display = ["user", "purpose", "granted", "changed_at"]
    list_filter = ["purpose", "granted"]
    list_select_related = ["user"]
    ordering = ["-changed_at"]


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(ReadOnlyAdmin):
    """Superusers only: who among the staff looked at whose data."""

    list_display = ["created_at", "staff", "subject", "kind", "note"]
    list_filter = ["kind"]
    list_select_related = ["staff", "subject"]
    ordering = ["-created_at"]

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser


class AppealForm(forms.ModelForm):
    class Meta:
        model = Appeal
        fields = ["status", "outcome_reason"]


@admin.register(Appeal)
class AppealAdmin(admin.ModelAdmin):
    """Open appeals, oldest first. Deciding goes through rights.services.decide_appeal,
    which refuses the moderator who made the decision."""

    form = AppealForm
    list_display = ["created_at", "appellant", "decision", "status", "decided_by"]
    list_filter = ["status"]
    list_select_related = ["appellant", "action", "decided_by"]
    readonly_fields = [
        "appellant",
        "decision",
        "decided_by_then",
        "text",
        "created_at",
        "decided_by",
        "decided_at",
    ]
    fields = [*readonly_fields[:5], "status", "outcome_reason", "decided_by", "decided_at"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        open_first = Case(When(status=Appeal.Status.OPEN, then=0), default=1)
        return super().get_queryset(request).order_by(open_first, "created_at", "pk")

    @admin.display(description=_("decision appealed"))
    def decision(self, obj):
        action = obj.action
        when = f"{action.created_at:%Y-%m-%d %H:%M}"
        return f"{action.get_kind_display()} · {when} · {action.public_reason}"

    @admin.display(description=_("decided by (moderator)"))
    def decided_by_then(self, obj):
        return obj.action.moderator or _("automatic")

    def save_model(self, request, obj, form, change):
        if obj.status == Appeal.Status.OPEN:
            return
        try:
            services.decide_appeal(
                obj, by=request.user, outcome=obj.status, reason=obj.outcome_reason
            )
        except services.AppealRefused as error:
            self.message_user(request, error.message, messages.ERROR)


def _hours_left(due_at) -> str:
    seconds = (due_at - timezone.now()).total_seconds()
    hours, minutes = divmod(int(abs(seconds)) // 60, 60)
    if seconds < 0:
        return _("overdue by %(h)d h %(m)02d min") % {"h": hours, "m": minutes}
    return _("%(h)d h %(m)02d min left") % {"h": hours, "m": minutes}


class OrderTargetInline(admin.TabularInline):
    model = OrderTarget
    fields = ["url", "article", "comment", "account", "outcome", "action", "snapshot"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(GovernmentOrder)
class GovernmentOrderAdmin(admin.ModelAdmin):
    """The intake of government and court orders, with the clock running: open
    ones first, the overdue on top, each with its countdown."""

    list_display = [
        "reference",
        "authority",
        "kind",
        "urgency",
        "received_at",
        "due_at",
        "countdown",
        "status",
        "closed_at",
    ]
    list_filter = ["status", "kind", "urgency", "source"]
    fields = [
        "source",
        "authority",
        "legal_basis",
        "reference",
        "kind",
        "urgency",
        "received_at",
        "targets",
        "forbid_author_notice",
        "account_suspended_until",
        "notes",
    ]
    inlines = [OrderTargetInline]
    actions = ["carry_out", "export_subscriber_information"]

    def get_readonly_fields(self, request, obj=None):
        # What the authority ordered never changes once entered.
        if obj is not None:
            return [f for f in self.fields if f != "notes"]
        return []

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        open_first = Case(When(status=GovernmentOrder.Status.OPEN, then=0), default=1)
        return super().get_queryset(request).order_by(open_first, "due_at", "pk")

    @admin.display(description=_("countdown"))
    def countdown(self, obj):
        if obj.status != GovernmentOrder.Status.OPEN:
            if obj.met_deadline is None:
                return "—"
            return _("on time") if obj.met_deadline else _("late")
        return _hours_left(obj.due_at)

    def save_model(self, request, obj, form, change):
        if change:
            GovernmentOrder.objects.filter(pk=obj.pk).update(notes=obj.notes)
            return
        services.receive_order(obj, by=request.user)

    @admin.action(description=_("Carry out the order (take down or erase the targets)"))
    def carry_out(self, request, queryset):
        for order in queryset:
            try:
                services.carry_out_order(order, by=request.user)
            except ValidationError as error:
                self.message_user(request, f"{order}: {' '.join(error.messages)}", messages.ERROR)
            else:
                self.message_user(request, _("%(order)s carried out.") % {"order": order})

    @admin.action(description=_("Export subscriber information (recorded)"))
    def export_subscriber_information(self, request, queryset):
        data = [services.subscriber_information(order, by=request.user) for order in queryset]
        response = HttpResponse(
            json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
            content_type="application/json",
        )
        response["Content-Disposition"] = 'attachment; filename="subscriber-information.json"'
        response["Cache-Control"] = "private, no-store"
        return response


class UserAdmin(AccountsUserAdmin):
    """The accounts admin, recording each opening of a user's change page."""

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and response.status_code == 200:
            user = self.get_object(request, object_id)
            if user is not None and user.pk != request.user.pk:
                services.record_access(
                    subject=user, staff=request.user, kind=PersonalDataAccess.Kind.ADMIN_VIEW
                )
        return response


admin.site.unregister(get_user_model())
admin.site.register(get_user_model(), UserAdmin)
