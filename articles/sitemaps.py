import math
from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.contrib.sitemaps import Sitemap
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import Exists, Max, OuterRef
from django.urls import reverse
from django.utils.functional import cached_property
from taggit.models import Tag

from core import origin
from core.pagination import page_number

from .models import Article, TaggedArticle, Topic


class PrimaryKeyRangePaginator:
    """Sitemap pages by ranges of primary keys: page N lists the rows whose key is
    in ((N - 1) * size, N * size].

    Django's Paginator counts every row and pages with OFFSET, which on a million
    articles scans most of the table for the last pages. Here the number of pages
    comes from the largest key (one index lookup) and each page is one range scan
    of the primary key. A page holds at most ``size`` URLs, fewer where drafts or
    removed articles left gaps, possibly none (an empty, valid urlset).
    """

    def __init__(self, queryset, size):
        self.queryset = queryset
        self.size = size

    @cached_property
    def num_pages(self) -> int:
        largest = self.queryset.order_by().aggregate(largest=Max("pk"))["largest"] or 0
        return max(1, math.ceil(largest / self.size))

    def page(self, number):
        number = page_number(str(number))
        if number is None:
            raise PageNotAnInteger
        if not 1 <= number <= self.num_pages:
            raise EmptyPage
        start = (number - 1) * self.size
        rows = self.queryset.filter(pk__gt=start, pk__lte=start + self.size)
        return SimpleNamespace(number=number, object_list=rows)


class SiteSitemap(Sitemap):
    """URLs on the site's public address (core.origin): the Sites row gives the
    host, and the scheme is SITE_URL's, not the request's."""

    @property
    def protocol(self):
        return origin.site_scheme()


class ArticleSitemap(SiteSitemap):
    """Every published article; drafts, hidden and deleted ones never appear."""

    changefreq = "weekly"
    limit = 5000

    def items(self):
        return (
            Article.objects.published()
            .only("pk", "slug", "published_at", "updated_at")
            .order_by("pk")
        )

    @property
    def paginator(self):
        return PrimaryKeyRangePaginator(self.items(), self.limit)

    def lastmod(self, item):
        return item.updated_at or item.published_at

    def get_latest_lastmod(self):
        """For the sitemap index: when the newest article was published.

        Django's default calls lastmod() on every item, loading the whole table
        on each request for the index. The newest publication comes from the
        (status, published_at) index; an edit to an older article shows in that
        article's own <lastmod> on its page of the sitemap.
        """
        return (
            Article.objects.published()
            .order_by("-published_at")
            .values_list("published_at", flat=True)
            .first()
        )


class TopicSitemap(SiteSitemap):
    changefreq = "daily"

    def items(self):
        return Topic.objects.only("slug").order_by("pk")


class TagSitemap(SiteSitemap):
    changefreq = "daily"
    limit = 5000

    def items(self):
        used = TaggedArticle.objects.filter(
            tag=OuterRef("pk"), content_object__status=Article.Status.PUBLISHED
        )
        return Tag.objects.filter(Exists(used)).only("slug").order_by("pk")

    def location(self, item):
        return reverse("articles:tag", kwargs={"slug": item.slug})


class AuthorSitemap(SiteSitemap):
    changefreq = "weekly"
    limit = 5000

    def items(self):
        published = Article.objects.published().filter(author=OuterRef("pk"))
        return (
            get_user_model()
            .objects.filter(Exists(published), is_active=True)
            .only("username")
            .order_by("pk")
        )


SITEMAPS = {
    "articles": ArticleSitemap,
    "topics": TopicSitemap,
    "tags": TagSitemap,
    "authors": AuthorSitemap,
}
