"""RSS feeds for the whole site, each topic, each tag and each author.

Items carry the full text of the article's first page, already sanitised.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html_join
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from .models import Article, Topic

FEED_SIZE = 20


class LatestArticlesFeed(Feed):
    description = _("The latest articles written by the community.")

    def title(self, obj=None):
        return settings.SITE_NAME

    def link(self, obj=None):
        return reverse("articles:home")

    def articles(self, obj):
        return (
            Article.objects.published()
            .select_related("author", "topic")
            .prefetch_related("corrections")
        )

    def items(self, obj=None):
        return self.articles(obj).newest_first()[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # A correction (Ralat) leads the item, as it leads the article page.
        notes = format_html_join(
            "",
            "<p><strong>{}</strong> ({}): {}</p>",
            (
                (
                    _("Correction"),
                    date_format(localtime(correction.created_at), "DATETIME_FORMAT"),
                    correction.note,
                )
                for correction in item.corrections.all()
            ),
        )
        return notes + item.pages()[0]

    def item_author_name(self, item):
        return item.author.name

    def item_author_link(self, item):
        return item.author.get_absolute_url()

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at or item.published_at

    def item_categories(self, item):
        return [item.topic.name]


class TopicFeed(LatestArticlesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Topic, slug=slug)

    def title(self, obj=None):
        return f"{obj.name} · {settings.SITE_NAME}"

    def link(self, obj=None):
        return obj.get_absolute_url()

    def description(self, obj=None):
        return obj.description or obj.name

    def articles(self, obj):
        return super().articles(obj).in_topic(obj)


class TagFeed(LatestArticlesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Tag, slug=slug)

    def title(self, obj=None):
        return f"#{obj.name} · {settings.SITE_NAME}"

    def link(self, obj=None):
        return reverse("articles:tag", kwargs={"slug": obj.slug})

    def description(self, obj=None):
        return f"#{obj.name}"

    def articles(self, obj):
        return super().articles(obj).filter(tags=obj)


class AuthorFeed(LatestArticlesFeed):
    def get_object(self, request, username):
        return get_object_or_404(get_user_model(), username=username, is_active=True)

    def title(self, obj=None):
        return f"{obj.name} · {settings.SITE_NAME}"

    def link(self, obj=None):
        return obj.get_absolute_url()

    def description(self, obj=None):
        return obj.tagline or obj.name

    def articles(self, obj):
        return super().articles(obj).filter(author=obj)
