"""Writes to articles that have side effects. Views, admin and commands call these."""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db.models import F
from django.http import HttpRequest

from .models import Article

BOT_MARKERS = ("bot", "crawl", "spider", "slurp", "preview", "headless")


def reader_fingerprint(request: HttpRequest) -> str:
    """Who is reading, for view counting: the user, or a hash of address and browser.

    The raw address is never stored; the hash only lives in the cache for the
    counting window.
    """
    if request.user.is_authenticated:
        return f"u{request.user.pk}"
    address = request.META.get("REMOTE_ADDR", "")
    agent = request.META.get("HTTP_USER_AGENT", "")[:300]
    digest = hashlib.blake2b(
        f"{address}|{agent}".encode(), key=settings.SECRET_KEY.encode()[:64], digest_size=12
    )
    return "a" + digest.hexdigest()


def record_view(article: Article, request: HttpRequest) -> bool:
    """Count one view of a published article per reader per window; True if counted.

    The cache's atomic ``add`` decides whether this reader was seen recently
    (shared between processes when the cache is Redis), and the count goes up
    in the database with an UPDATE ... SET view_count = view_count + 1, so
    concurrent readers never overwrite each other's counts.
    """
    if not article.is_public or request.user.pk == article.author_id:
        return False
    agent = request.META.get("HTTP_USER_AGENT", "").lower()
    if not agent or any(marker in agent for marker in BOT_MARKERS):
        return False
    key = f"viewed:{article.pk}:{reader_fingerprint(request)}"
    if not cache.add(key, 1, timeout=settings.VIEW_COUNT_WINDOW):
        return False
    Article.objects.filter(pk=article.pk).update(view_count=F("view_count") + 1)
    return True
