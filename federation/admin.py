from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Delivery, DomainBlock, RemoteActor, RemoteFollow, Server


@admin.register(DomainBlock)
class DomainBlockAdmin(admin.ModelAdmin):
    """Moderators block or silence a remote server here; the admin's history (the
    audit log) records who did it, when and why."""

    list_display = ["domain", "severity", "reason", "created_by", "created_at"]
    list_filter = ["severity"]
    list_select_related = ["created_by"]
    search_fields = ["domain"]
    fields = ["domain", "severity", "reason"]

    def get_readonly_fields(self, request, obj=None):
        return ["domain"] if obj else []

    def save_model(self, request, obj, form, change):
        if change:
            services.change_domain_block(obj, reason=obj.reason, severity=obj.severity)
        else:
            blocked = services.block_domain(
                obj.domain, reason=obj.reason, by=request.user, severity=obj.severity
            )
            obj.pk, obj.created_at = blocked.pk, blocked.created_at

    def construct_change_message(self, request, form, formsets, add=False):
        silenced = form.instance.severity == DomainBlock.Severity.SILENCE
        if add:
            verb = _("Silenced") if silenced else _("Blocked")
        elif "severity" in form.changed_data:
            verb = _("Now silenced") if silenced else _("Now blocked")
        else:
            verb = _("Changed the reason")
        return [
            {"added" if add else "changed": {"name": str(verb), "object": form.instance.reason}}
        ]


@admin.register(RemoteActor)
class RemoteActorAdmin(admin.ModelAdmin):
    list_display = ["handle", "domain", "name", "fetched_at", "deleted_at"]
    search_fields = ["handle", "domain", "uri"]
    readonly_fields = [field.name for field in RemoteActor._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(RemoteFollow)
class RemoteFollowAdmin(admin.ModelAdmin):
    list_display = ["actor", "user", "topic", "created_at"]
    list_select_related = ["actor", "user", "topic"]
    readonly_fields = ["actor", "user", "topic", "activity_uri", "created_at"]

    def has_add_permission(self, request):
        return False


@admin.register(Server)
class ServerAdmin(admin.ModelAdmin):
    list_display = ["domain", "failures_in_a_row", "paused_until", "last_success_at"]
    search_fields = ["domain"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["inbox", "status", "attempts", "next_attempt_at", "error", "created_at"]
    list_filter = ["status"]
    exclude = ["key"]
    readonly_fields = ["server", "inbox", "signed_as", "activity", "status", "attempts",
                       "next_attempt_at", "error", "created_at"]  # fmt: skip

    def has_add_permission(self, request):
        return False
