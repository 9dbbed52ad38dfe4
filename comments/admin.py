from django.contrib import admin
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from .models import Comment


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    """Comments for moderators to look at. Read-only: a comment's status changes
    only through the moderation actions (moderation.services), which keep the
    article's comment count right and write the audit record."""

    list_display = ["excerpt", "author", "article", "status", "depth", "created_at"]
    list_select_related = ["author", "article"]
    list_filter = ["status", "created_at"]
    search_fields = ["body", "author__username", "author__display_name", "article__title"]
    date_hierarchy = "created_at"
    ordering = ["-created_at", "-pk"]
    show_full_result_count = False
    actions = None
    fields = [
        "article",
        "author",
        "parent",
        "reply_to",
        "depth",
        "body",
        "status",
        "created_at",
        "edited_at",
        "status_changed_at",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return (
            super().get_queryset(request).defer("body_html", "article__body", "article__body_html")
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("comment"))
    def excerpt(self, comment):
        return Truncator(comment.body).chars(80)
