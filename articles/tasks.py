"""Background work for articles: telling an author's followers about a new article,
outside the request that published it (the worker runs it in production; the
immediate backend at once in development and tests)."""

from django.tasks import task

from notifications import services as notification_services

from .models import Article


@task
def tell_followers(article_id: int) -> int:
    """Notify the author's followers of an article's first publication; how many were
    told. Nobody is told if the article is no longer public when the task runs."""
    article = Article.objects.filter(pk=article_id).first()
    if article is None:
        return 0
    return notification_services.notify_new_article(article)
