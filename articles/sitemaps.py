from django.contrib.auth import get_user_model
from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, OuterRef
from django.urls import reverse
from taggit.models import Tag

from .models import Article, TaggedArticle, Topic


class ArticleSitemap(Sitemap):
    """Every published article; drafts, hidden and deleted ones never appear."""

    changefreq = "weekly"
    limit = 5000

    def items(self):
        return (
            Article.objects.published()
            .only("pk", "slug", "published_at", "updated_at")
            .order_by("pk")
        )

    def lastmod(self, item):
        return item.updated_at or item.published_at


class TopicSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return Topic.objects.only("slug").order_by("pk")


class TagSitemap(Sitemap):
    changefreq = "daily"
    limit = 5000

    def items(self):
        used = TaggedArticle.objects.filter(
            tag=OuterRef("pk"), content_object__status=Article.Status.PUBLISHED
        )
        return Tag.objects.filter(Exists(used)).only("slug").order_by("pk")

    def location(self, item):
        return reverse("articles:tag", kwargs={"slug": item.slug})


class AuthorSitemap(Sitemap):
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
