from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.text import Truncator, slugify
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from .pages import split_into_pages
from .sanitizer import sanitize_html

TEASER_CHARS = 220


class Topic(models.Model):
    """A rubric such as Politik or its child Kebijakan. Every article sits in exactly one."""

    name = models.CharField(_("name"), max_length=80)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent topic"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:topic", kwargs={"slug": self.slug})


class TaggedArticle(TaggedItemBase):
    """Tags point straight at articles (no generic relation), so a tag page is one join."""

    content_object = models.ForeignKey("Article", on_delete=models.CASCADE)

    class Meta:
        verbose_name = _("tagged article")
        verbose_name_plural = _("tagged articles")
        constraints = [
            models.UniqueConstraint(
                fields=["tag", "content_object"], name="articles_taggedarticle_unique"
            ),
        ]


class ArticleQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=ArticleStatus.PUBLISHED)

    def in_topic(self, topic):
        """Articles of the topic and of its direct child topics."""
        return self.filter(Q(topic=topic) | Q(topic__parent=topic))

    def latest(self):
        return self.order_by("-published_at", "-id")

    def most_viewed(self):
        return self.order_by("-view_count", "-id")

    def for_cards(self):
        """What a list card shows: author and topic joined, the long body left behind."""
        return self.select_related("author", "topic").defer("body", "body_html")


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    HIDDEN = "hidden", _("Hidden by a moderator")


class Article(models.Model):
    # Nested name for callers (Article.Status.PUBLISHED); defined at module level
    # so Meta's constraint can read its values.
    Status = ArticleStatus

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="articles",
    )
    topic = models.ForeignKey(
        Topic, verbose_name=_("topic"), on_delete=models.PROTECT, related_name="articles"
    )
    title = models.CharField(_("title"), max_length=200)
    # Cosmetic: the URL carries the primary key, so a changed slug never breaks a link.
    slug = models.SlugField(_("slug"), max_length=200, allow_unicode=False)
    excerpt = models.TextField(_("excerpt"), max_length=400, blank=True)
    body = models.TextField(_("body"), blank=True)
    body_html = models.TextField(_("sanitised body"), blank=True, editable=False)
    teaser = models.CharField(_("teaser"), max_length=TEASER_CHARS + 10, blank=True, editable=False)
    cover = models.ImageField(_("cover image"), upload_to="covers/%Y/%m/", blank=True)
    cover_caption = models.CharField(_("cover caption"), max_length=300, blank=True)
    cover_credit = models.CharField(_("cover source credit"), max_length=200, blank=True)
    tags = TaggableManager(verbose_name=_("tags"), through=TaggedArticle, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.DRAFT)
    is_pick = models.BooleanField(_("editor's pick"), default=False)
    is_headline = models.BooleanField(_("headline"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    updated_at = models.DateTimeField(
        _("updated"), null=True, blank=True, help_text=_("Set when edited after publishing.")
    )
    view_count = models.PositiveBigIntegerField(_("views"), default=0)
    comment_count = models.PositiveIntegerField(_("comments"), default=0)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ArticleStatus.values),
                name="articles_article_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="articles_article_published_has_time",
            ),
        ]
        indexes = [
            # Home "latest" and every published list: status filter, newest first.
            models.Index(fields=["status", "-published_at", "-id"], name="articles_article_latest"),
            # Topic pages.
            models.Index(
                fields=["topic", "status", "-published_at", "-id"],
                name="articles_article_topic",
            ),
            # Author pages and the author's dashboard.
            models.Index(
                fields=["author", "status", "-published_at", "-id"],
                name="articles_article_author",
            ),
            # Home "most viewed".
            models.Index(
                fields=["status", "-view_count", "-id"], name="articles_article_most_viewed"
            ),
            # Home "editor's picks": a small partial index.
            models.Index(
                fields=["-published_at"],
                condition=Q(is_pick=True, status="published"),
                name="articles_article_picks",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # Derived fields, filled here so every path (views, admin, shell) cleans.
        self.body_html = sanitize_html(self.body)
        text = " ".join(strip_tags(self.excerpt or self.body_html).split())
        self.teaser = Truncator(text).chars(TEASER_CHARS)
        if not self.slug:
            self.slug = slugify(self.title)[:200] or "artikel"
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"body", "excerpt"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "body_html", "teaser"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"pk": self.pk, "slug": self.slug})

    def get_page_url(self, number: int) -> str:
        if number <= 1:
            return self.get_absolute_url()
        return reverse("articles:page", kwargs={"pk": self.pk, "slug": self.slug, "page": number})

    def get_all_pages_url(self) -> str:
        return reverse("articles:all_pages", kwargs={"pk": self.pk, "slug": self.slug})

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def was_updated(self) -> bool:
        return bool(self.updated_at and self.published_at and self.updated_at > self.published_at)

    def pages(self) -> list[str]:
        """The sanitised body split into reading pages (HALAMAN 1, 2, ...)."""
        return split_into_pages(self.body_html, settings.ARTICLE_PAGE_CHARS)
