"""The site's public address, from ``settings.SITE_URL`` (README, "Configuration").

Every absolute link the site writes for somewhere else (an email, a feed, a
sitemap, a canonical or share link, an API body) is built here, so none of them
depends on the Host header of the request that happened to build it, and a page
shared between readers never carries one reader's Host.
"""

from urllib.parse import urlsplit

from django.conf import settings


def site_url() -> str:
    """``https://host`` (no trailing slash)."""
    return settings.SITE_URL


def site_domain() -> str:
    """The host (and port, if any) of SITE_URL."""
    return urlsplit(settings.SITE_URL).netloc


def site_scheme() -> str:
    return urlsplit(settings.SITE_URL).scheme or "https"


def absolute_url(path: str) -> str:
    """``path`` (``/artikel/1/judul/``) on the site's address; an absolute URL as it is."""
    if path.startswith(("http://", "https://")):
        return path
    return f"{settings.SITE_URL}{path}"


def sync_site(using: str = "default", **kwargs) -> None:
    """Keep the Sites row (read by allauth's mails, Django's feeds and sitemaps) on
    SITE_URL and SITE_NAME. Connected to ``post_migrate``, as Django itself creates
    that row, so each deploy's ``migrate`` brings it in line."""
    from django.contrib.sites.models import Site

    domain = site_domain()
    if not domain:
        return
    Site.objects.using(using).update_or_create(
        pk=settings.SITE_ID, defaults={"domain": domain, "name": settings.SITE_NAME}
    )
    Site.objects.clear_cache()
