from django.contrib import admin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Read-only: notifications are written by the services, never by hand."""

    list_display = ["created_at", "recipient", "kind", "actor", "read_at", "email_state"]
    list_filter = ["kind", "email_state"]
    list_select_related = ["recipient", "actor"]
    search_fields = ["recipient__username"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
