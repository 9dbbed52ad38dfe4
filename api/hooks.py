"""The webhooks' listener on the lower apps' events (core/events.py), registered
in ApiConfig.ready. It runs after the change committed, writes one delivery per
receiving hook with what the event may show, and leaves the sending to the task
worker (api/tasks.py)."""

from articles.models import Article
from comments.models import Comment
from core import events

from . import reads, services

# Events after which the article is public: the payload carries what readers see.
_PUBLIC_ARTICLE_EVENTS = {
    events.ARTICLE_PUBLISHED,
    events.ARTICLE_UPDATED,
    events.ARTICLE_CORRECTED,
    events.ARTICLE_RESTORED,
}


def on_event(event: str, **data) -> None:
    if event.startswith("article."):
        _on_article(event, data["article_id"])
    elif event.startswith("comment."):
        _on_comment(event, data["comment_id"], data["article_id"])


def _article_payload(article: Article) -> dict:
    return {
        "id": article.pk,
        "title": article.title,
        "url": reads.site_url(article.get_absolute_url()),
        "api_url": reads.api_url("article", article_id=article.pk),
        "author": article.author.username,
        "topic": article.topic.slug,
        "published_at": article.published_at.isoformat() if article.published_at else None,
        "updated_at": article.updated_at.isoformat() if article.updated_at else None,
    }


def _on_article(event: str, article_id: int) -> None:
    article = Article.objects.select_related("author", "topic").filter(pk=article_id).first()
    if article is None or not services.receivers(event, owner_id=article.author_id):
        return
    if event in _PUBLIC_ARTICLE_EVENTS:
        if not reads.public_articles().filter(pk=article_id).exists():
            return  # changed again since, or its account is suspended: nothing to tell
        payload = {"article": _article_payload(article)}
    else:
        # Gone from public view: say which one, and nothing of what it said.
        payload = {"article": {"id": article.pk}}
    services.queue_deliveries(event, payload, owner_id=article.author_id)


def _on_comment(event: str, comment_id: int, article_id: int) -> None:
    owner_id = Article.objects.filter(pk=article_id).values_list("author_id", flat=True).first()
    if owner_id is None or not services.receivers(event, owner_id=owner_id):
        return  # most comments: no hook wants them, so nothing more is read
    comment = Comment.objects.select_related("author", "article").filter(pk=comment_id).first()
    if comment is None:
        return
    if event == events.COMMENT_POSTED:
        if not comment.is_visible or not reads.public_articles().filter(pk=article_id).exists():
            return
        payload = {
            "comment": {
                **reads.comment_out(comment).model_dump(mode="json"),
                "article_id": article_id,
            }
        }
    else:
        payload = {"comment": {"id": comment.pk, "article_id": article_id}}
    services.queue_deliveries(event, payload, owner_id=comment.article.author_id)
