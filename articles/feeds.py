"""RSS and Atom feeds for the whole site, each topic, each tag and each author.

Items carry the full text of the article's first page, already sanitised.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.formats import date_format
from django.utils.html import format_html_join
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from core import origin

from .models import Article, Topic

FEED_SIZE = 20


class _OnSiteScheme:
    """The request as Django's Feed sees it, but secure exactly when SITE_URL is:
    Feed puts its links on the Sites row's host (kept on SITE_URL by core.origin)
    with the request's scheme, which behind a proxy need not be the public one."""

    def __init__(self, request):
        self._request = request

    def is_secure(self):
        return origin.site_scheme() == "https"

    def __getattr__(self, name):
        return getattr(self._request, name)


class LatestArticlesFeed(Feed):
    description = _("The latest articles written by the community.")

    def get_feed(self, obj, request):
        return super().get_feed(obj, _OnSiteScheme(request))

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
        # Django makes the feed's and items' links absolute, but not this one.
        return origin.absolute_url(item.author.get_absolute_url())

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


class AtomFeed:
    """The same feed in Atom 1.0, at ``…/feed/atom/`` beside each RSS feed: some
    readers (and most podcast-style aggregators) prefer it, and it carries each
    item's updated time, which a correction changes."""

    feed_type = Atom1Feed

    def subtitle(self, obj=None):
        return self._get_dynamic_attr("description", obj)


class LatestArticlesAtomFeed(AtomFeed, LatestArticlesFeed):
    pass


class TopicAtomFeed(AtomFeed, TopicFeed):
    pass


class TagAtomFeed(AtomFeed, TagFeed):
    pass


class AuthorAtomFeed(AtomFeed, AuthorFeed):
    pass
