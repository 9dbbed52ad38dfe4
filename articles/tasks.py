"""Background work for articles, outside the requests that cause it (the worker
runs it in production; the immediate backend at once in development and tests):
telling an author's followers about a new article, and writing the view counts
buffered in Redis (articles/viewcounts.py)."""

from datetime import datetime

from django.tasks import task

from accounts import mentions
from notifications import services as notification_services

from . import viewcounts
from .models import Article
from .sanitizer import html_to_text


@task
def tell_followers(article_id: int) -> int:
    """Notify the author's followers (and the people it mentions) of an article's
    first publication; how many followers were told. Nobody is told if the article
    is no longer public when the task runs."""
    article = Article.objects.filter(pk=article_id).first()
    if article is None:
        return 0
    if article.is_public:
        notification_services.notify_mentions(
            people=mentions.mentioned_user_ids(html_to_text(article.body_html)),
            actor_id=article.author_id,
            article_id=article.pk,
        )
    return notification_services.notify_new_article(article)


@task
def publish_scheduled(article_id: int, when: str) -> bool:
    """Publish a scheduled draft at its time (``when``, ISO 8601), through the same
    service as the publish button; nothing if the schedule changed or was
    cancelled since this was queued. True if it published."""
    # Imported here: services queues this task.
    from .services import publish_scheduled_article

    return publish_scheduled_article(article_id, when=datetime.fromisoformat(when))


@task
def flush_view_counts() -> int:
    """Write the view counts buffered in Redis to the database; the number of views
    written. Queued by the view that finds no flush scheduled (viewcounts.count_view)."""
    return viewcounts.flush()
