from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Bookmark(models.Model):
    """An article a reader saved to read later (Bacaan Saya). Private: no count
    of an article's bookmarks is shown anywhere (README, "Reading list")."""

    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reader"),
        on_delete=models.CASCADE,
        related_name="bookmarks",
    )
    article = models.ForeignKey(
        "articles.Article",
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        related_name="bookmarks",
    )
    created_at = models.DateTimeField(_("saved"), auto_now_add=True)

    class Meta:
        verbose_name = _("saved article")
        verbose_name_plural = _("saved articles")
        constraints = [
            # Also the index of "has this reader saved these articles".
            models.UniqueConstraint(fields=["reader", "article"], name="readinglist_once"),
        ]
        indexes = [
            # Bacaan Saya: a reader's saved articles, newest first.
            models.Index(fields=["reader", "-created_at", "-id"], name="readinglist_page"),
        ]

    def __str__(self):
        return f"{self.reader} → {self.article_id}"
