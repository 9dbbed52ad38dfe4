from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, ngettext_lazy

from caching import generations

from . import services
from .models import Article, EditorialDecision, EditorialLabel, Topic


class RefreshesPagesAdmin(admin.ModelAdmin):
    """An edit in the change form or a delete (one, or many from the list) bypasses
    the services, so it makes the cached pages stale itself (README, "Caching")."""

    def refresh(self, obj) -> None:
        raise NotImplementedError

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        self.refresh(obj)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        self.refresh(obj)

    def delete_queryset(self, request, queryset):
        objects = list(queryset)
        super().delete_queryset(request, queryset)
        for obj in objects:
            self.refresh(obj)


@admin.register(Topic)
class TopicAdmin(RefreshesPagesAdmin):
    list_display = ["name", "parent", "slug", "position"]
    list_select_related = ["parent"]
    list_filter = ["parent"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def save_model(self, request, obj, form, change):
        services.save_topic(obj)  # a moved topic takes its articles along; bumps

    def refresh(self, obj) -> None:
        # Topics show in every page's header and on every card.
        generations.bump(generations.TOPICS, generations.LISTS, generations.topic(obj.pk))


class EditorialDecisionInline(admin.TabularInline):
    """The article's label history, read-only: decisions are made with the list's actions."""

    model = EditorialDecision
    fields = ["created_at", "editor", "label", "added", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("editor")


class EditorialActionForm(ActionForm):
    note = forms.CharField(
        label=_("Note (why)"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"size": 40}),
    )


def _label_action(label: str, on: bool, description):
    def action(modeladmin, request, queryset):
        note = request.POST.get("note", "")
        changed = refused = 0
        for article in queryset.select_related(None).only("pk", "status", "is_pick", "is_headline"):
            try:
                changed += services.set_editorial_label(
                    article, label=label, on=on, by=request.user, note=note
                )
            except ValidationError:
                refused += 1
        modeladmin.message_user(
            request,
            ngettext("%(count)d article changed.", "%(count)d articles changed.", changed)
            % {"count": changed},
            messages.SUCCESS,
        )
        if refused:
            modeladmin.message_user(
                request,
                ngettext(
                    "%(count)d article is not published and was left as it was.",
                    "%(count)d articles are not published and were left as they were.",
                    refused,
                )
                % {"count": refused},
                messages.WARNING,
            )

    action.__name__ = f"{'mark' if on else 'unmark'}_{label}"
    return admin.action(description=description, permissions=["label"])(action)


def _status_action(service, from_status: str, description, done_message):
    """An action that changes the selected articles' status through ``service``
    (publish_article, unpublish_article), which sets the times and sends or
    withdraws the notices; articles in another status are left as they are."""

    def action(modeladmin, request, queryset):
        changed = refused = 0
        for article in queryset.filter(status=from_status).select_related("author", "topic"):
            try:
                service(article, by=request.user)
            except ValidationError:
                refused += 1
            else:
                changed += 1
        modeladmin.message_user(request, done_message % {"count": changed}, messages.SUCCESS)
        if refused:
            modeladmin.message_user(
                request,
                ngettext(
                    "%(count)d article has nothing to read and stays a draft.",
                    "%(count)d articles have nothing to read and stay drafts.",
                    refused,
                )
                % {"count": refused},
                messages.WARNING,
            )

    action.__name__ = service.__name__
    return admin.action(description=description, permissions=["change"])(action)


@admin.register(Article)
class ArticleAdmin(RefreshesPagesAdmin):
    """Articles for editors. Status and publication time are read-only here: they
    change through the list's actions (publish, back to draft), which call the
    services and so set the times and send or withdraw the notices; hiding and
    restoring go through the moderation queue, which records the reason."""

    def refresh(self, obj) -> None:
        services.show_changes(obj)

    def save_model(self, request, obj, form, change):
        # A revision by the staff member, like an author's save (README, "Writing").
        services.save_article_in_admin(obj, by=request.user)

    list_display = [
        "title",
        "author",
        "topic",
        "status",
        "is_pick",
        "is_headline",
        "published_at",
        "view_count",
    ]
    list_select_related = ["author", "topic"]
    list_filter = ["status", "is_pick", "is_headline", "topic"]
    search_fields = ["title", "author__username", "author__display_name"]
    date_hierarchy = "published_at"
    raw_id_fields = ["author"]
    # Status and time change only through the actions; the labels only through
    # the audited label actions on the list; the cover only through the author's
    # form (articles.services.save_article re-encodes it, makes its renditions
    # and deletes the files it replaces).
    RECORD_FIELDS = ["is_pick", "is_headline", "created_at", "updated_at", "view_count"]
    readonly_fields = ["status", "published_at", "cover", *RECORD_FIELDS, "comment_count"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "author", "topic", "tags"]}),
        (None, {"fields": ["excerpt", "body"]}),
        (None, {"fields": ["cover", "cover_caption", "cover_credit"]}),
        (
            _("Status"),
            {
                "fields": ["status", "published_at"],
                "description": _(
                    "Publish or take back to draft with the actions on the article list. "
                    "Hiding and restoring go through the moderation queue, with a reason."
                ),
            },
        ),
        (None, {"fields": [*RECORD_FIELDS, "comment_count"]}),
    ]
    inlines = [EditorialDecisionInline]
    show_full_result_count = False
    action_form = EditorialActionForm
    actions = [
        _status_action(
            services.publish_article,
            Article.Status.DRAFT,
            _("Publish the selected drafts"),
            ngettext_lazy("%(count)d article published.", "%(count)d articles published.", "count"),
        ),
        _status_action(
            services.unpublish_article,
            Article.Status.PUBLISHED,
            _("Take the selected articles back to draft"),
            ngettext_lazy(
                "%(count)d article taken back to draft.",
                "%(count)d articles taken back to draft.",
                "count",
            ),
        ),
        _label_action(EditorialLabel.PICK, True, _("Mark as editor's pick (Pilihan)")),
        _label_action(EditorialLabel.PICK, False, _("Remove the editor's pick label")),
        _label_action(EditorialLabel.HEADLINE, True, _("Make headline (Artikel Utama)")),
        _label_action(EditorialLabel.HEADLINE, False, _("Remove the headline label")),
    ]

    def has_label_permission(self, request):
        return request.user.has_perm("articles.label_article")
