from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language

from caching import fragments, generations

from .models import Topic

NAV_SECONDS = 5 * 60


def navigation(request):
    """The top-level topics for the header, read only if rendered.

    Cached under the topics' generation for at most five minutes: topics change
    only in the admin, which bumps it (TopicAdmin).
    """

    def topics():
        return fragments.cached(
            f"nav-topics:{get_language()}",  # the links carry the language's prefix
            [generations.TOPICS],
            lambda: [
                {"name": topic.name, "url": topic.get_absolute_url()}
                for topic in Topic.objects.filter(parent=None).only("name", "slug")
            ],
            timeout=NAV_SECONDS,
        )

    return {"nav_topics": SimpleLazyObject(topics)}
