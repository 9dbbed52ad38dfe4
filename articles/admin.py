from django.contrib import admin

from .models import Article, Topic


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "parent", "slug", "position"]
    list_select_related = ["parent"]
    list_filter = ["parent"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
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
    readonly_fields = ["created_at", "updated_at", "view_count", "comment_count"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "author", "topic", "status", "tags"]}),
        (None, {"fields": ["excerpt", "body"]}),
        (None, {"fields": ["cover", "cover_caption", "cover_credit"]}),
        (None, {"fields": ["is_pick", "is_headline", "published_at"]}),
        (None, {"fields": readonly_fields}),
    ]
    show_full_result_count = False
