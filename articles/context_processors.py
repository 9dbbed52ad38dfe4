from .models import Topic


def navigation(request):
    """The top-level topics for the header; a lazy queryset, run only if rendered."""
    return {"nav_topics": Topic.objects.filter(parent=None).only("name", "slug")}
