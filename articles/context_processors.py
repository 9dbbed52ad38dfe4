from django.utils.functional import SimpleLazyObject

from blogplatform import pagecache

from .models import Topic

NAV_SECONDS = 5 * 60


def navigation(request):
    """The top-level topics for the header, read only if rendered.

    Cached under the site's generation for at most five minutes: topics change
    only in the admin, which bumps it (TopicAdmin).
    """

    def topics():
        return pagecache.cached(
            request,
            "nav-topics",
            [pagecache.SITE],
            lambda: list(Topic.objects.filter(parent=None).only("name", "slug")),
            timeout=NAV_SECONDS,
        )

    return {"nav_topics": SimpleLazyObject(topics)}
