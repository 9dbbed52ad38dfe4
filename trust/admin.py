"""The trust app's records in the admin (README, "Trust and spam").

Held posts are decided in the moderation queue (moderation.admin, a case per
held post); the held items here are the read-only record of every hold and its
decision, which the classifier learns from: a filter, never a second queue."""

from django.contrib import admin, messages
from django.db.models import Count, OuterRef, Subquery
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from . import services
from .models import HeldItem, Level, SignupAddress, TrustChange


class PendingFilter(admin.SimpleListFilter):
    title = gettext_lazy("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return HeldItem.Status.choices

    def value(self):
        return super().value() or HeldItem.Status.PENDING

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        if self.value() in HeldItem.Status.values:
            return queryset.filter(status=self.value())
        return queryset.filter(status=HeldItem.Status.PENDING)


def _decided(status: str):
    return Subquery(
        HeldItem.objects.filter(author=OuterRef("author"), status=status)
        .order_by()
        .values("author")
        .annotate(n=Count("id"))
        .values("n")[:1]
    )


@admin.register(HeldItem)
class HeldItemAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "held_content",
        "rule_column",
        "score_column",
        "level_column",
        "history_column",
    ]
    list_display_links = ["held_content"]
    list_filter = [PendingFilter, "rule", "kind"]
    list_select_related = ["author__trust", "article", "comment__article"]
    ordering = ["created_at", "id"]  # oldest first: nobody waits longest
    list_per_page = 50
    show_full_result_count = False
    actions = None  # decided in the moderation queue, where each decision is audited
    readonly_fields = [
        "kind",
        "held_content",
        "text",
        "author",
        "level",
        "rule",
        "detail",
        "score",
        "features",
        "status",
        "created_at",
        "decided_by",
        "decided_at",
        "history_detail",
    ]
    fields = readonly_fields

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .defer("text", "article__body", "article__body_html", *_article_search_fields())
            .annotate(
                released_count=_decided(HeldItem.Status.RELEASED),
                rejected_count=_decided(HeldItem.Status.REJECTED),
            )
        )

    def has_add_permission(self, request):
        return False  # items are held by the rules

    def has_change_permission(self, request, obj=None):
        return False  # decided in the moderation queue

    def has_delete_permission(self, request, obj=None):
        return False  # the decision is the record

    def changelist_view(self, request, extra_context=None):
        queue = reverse("admin:moderation_case_changelist") + "?status=held"
        extra_context = {"held_queue_url": queue, **(extra_context or {})}
        return super().changelist_view(request, extra_context=extra_context)

    @admin.display(description=gettext_lazy("held"))
    def held_content(self, item):
        if item.kind == HeldItem.Kind.ARTICLE:
            label, url = item.article.title, item.article.get_absolute_url()
        else:
            label = Truncator(item.comment.body).chars(100)
            url = item.comment.article.get_absolute_url()
        return format_html(
            '<span class="quiet">{}</span><br><a href="{}">{}</a><br>'
            '<span class="quiet">@{}</span>',
            item.get_kind_display(),
            url,
            label,
            item.author.username,
        )

    @admin.display(description=gettext_lazy("rule"), ordering="rule")
    def rule_column(self, item):
        return format_html("<strong>{}</strong><br>{}", item.rule, item.detail)

    @admin.display(description=gettext_lazy("score"), ordering="score")
    def score_column(self, item):
        if item.score is None:
            return "—"
        return format_html(
            '{}<br><span class="quiet">{}</span>', f"{item.score:.2f}", item.features
        )

    @admin.display(description=gettext_lazy("level"))
    def level_column(self, item):
        record = getattr(item.author, "trust", None)
        return Level(record.level if record else Level.BARU).label

    @admin.display(description=gettext_lazy("history"))
    def history_column(self, item):
        return _("%(released)s released, %(rejected)s rejected") % {
            "released": item.released_count or 0,
            "rejected": item.rejected_count or 0,
        }

    @admin.display(description=gettext_lazy("account"))
    def history_detail(self, item):
        history = services.history(item.author)
        standing = history["standing"]
        lines = [
            _(
                "%(level)s (%(reason)s): %(days)s days old, email confirmed: %(email)s, "
                "%(articles)s published articles, %(comments)s visible comments, "
                "%(strikes)s hidden or rejected, %(released)s released."
            )
            % {
                "level": Level(standing.level).label,
                "reason": standing.reason,
                "days": standing.age_days,
                "email": _("yes") if standing.email_confirmed else _("no"),
                "articles": standing.published_articles,
                "comments": standing.visible_comments,
                "strikes": standing.strikes,
                "released": standing.released,
            }
        ]
        lines += [
            f"{change.created_at:%Y-%m-%d %H:%M} {Level(change.old_level).label} → "
            f"{Level(change.new_level).label}: {change.reason}"
            for change in history["changes"]
        ]
        return format_html("<br>".join(["{}"] * len(lines)), *lines)


def _article_search_fields():
    from articles.models import SEARCH_FIELDS

    return [f"article__{field}" for field in SEARCH_FIELDS]


@admin.register(TrustChange)
class TrustChangeAdmin(admin.ModelAdmin):
    """Every promotion and demotion, read-only."""

    list_display = ["created_at", "user", "old_level", "new_level", "reason"]
    list_select_related = ["user"]
    list_filter = ["new_level"]
    search_fields = ["user__username"]
    ordering = ["-created_at"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SignupAddress)
class SignupAddressAdmin(admin.ModelAdmin):
    """Accounts flagged at sign-up (many from one address): clear the flag once checked."""

    list_display = ["created_at", "user", "flagged"]
    list_select_related = ["user"]
    list_filter = ["flagged"]
    search_fields = ["user__username"]
    ordering = ["-created_at"]
    show_full_result_count = False
    fields = ["user", "flagged", "created_at"]
    readonly_fields = fields
    actions = ["clear_flags"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=gettext_lazy("Clear the flag of the selected accounts"))
    def clear_flags(self, request, queryset):
        done = sum(services.clear_signup_flag(row.user) for row in queryset[:200])
        self.message_user(
            request,
            ngettext("%(count)s flag cleared.", "%(count)s flags cleared.", done) % {"count": done},
            messages.SUCCESS,
        )
