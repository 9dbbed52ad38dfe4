"""System checks of the project's own deployment rules (``manage.py check --deploy``)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

# Caches that each app process (or each server) keeps to itself.
UNSHARED_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
    "django.core.cache.backends.filebased.FileBasedCache",
}


@register(Tags.caches, deploy=True)
def check_cache_is_shared(app_configs, **kwargs):
    """Production runs several app processes on several servers: the rate limits
    (sign-in, sign-up, comments, reports) and the view counting keep their
    counters in the default cache, so it must be one all of them share."""
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if settings.DEBUG or backend not in UNSHARED_CACHES:
        return []
    return [
        Warning(
            f"The default cache ({backend.rpartition('.')[2]}) is per-process: "
            "rate limits and view counts are not shared between app processes.",
            hint="Set REDIS_URL so that every process uses the same Redis cache.",
            id="blogplatform.W001",
        )
    ]


IMMEDIATE_TASKS = "django.tasks.backends.immediate.ImmediateBackend"


@register(deploy=True)
def check_tasks_run_in_background(app_configs, **kwargs):
    """Emails (notifications, moderation notices) are background tasks: in
    production they must be queued for the worker, never run in the request."""
    backend = settings.TASKS.get("default", {}).get("BACKEND", "")
    if settings.DEBUG or backend != IMMEDIATE_TASKS:
        return []
    return [
        Warning(
            "Background tasks run immediately, so emails are sent inside web requests.",
            hint="Unset TASKS_BACKEND (or set it to 'database') and run `make worker`.",
            id="blogplatform.W002",
        )
    ]


@register(deploy=True)
def check_site_url_is_set(app_configs, **kwargs):
    """Mail, feeds, sitemaps, canonical links and the API are built on SITE_URL
    (core.origin); guessed from ALLOWED_HOSTS it may name the wrong host."""
    if settings.DEBUG or settings.SITE_URL_SET:
        return []
    guessed = settings.SITE_URL or "nothing (no named host in ALLOWED_HOSTS)"
    return [
        Warning(
            f"SITE_URL is not set: absolute links use {guessed}.",
            hint="Set SITE_URL to the site's public address, such as https://kolomwarga.id.",
            id="blogplatform.W003",
        )
    ]
