"""Plain builder functions for the test suite: each makes one saved row with sane defaults."""

import itertools
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from articles.models import Article, Topic
from articles.services import save_article, save_topic

# A real browser's User-Agent: the test client sends none, and a visit without
# one is not counted as a view (bots and scripts often send none).
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0"

_sequence = itertools.count(1)


def signed_in_client(user):
    """A browser of its own (a real User-Agent), signed in as ``user``."""
    from django.test import Client

    client = Client(headers={"user-agent": BROWSER})
    client.force_login(user)
    return client


def make_user(**kwargs):
    number = next(_sequence)
    kwargs.setdefault("username", f"warga{number}")
    kwargs.setdefault("email", f"{kwargs['username']}@example.com")
    password = kwargs.pop("password", "kata-sandi-uji")
    user = get_user_model()(**kwargs)
    user.set_password(password)
    user.save()
    return user


def make_topic(slug=None, *, name=None, parent=None, **kwargs):
    """The topic with this slug, created if missing.

    Migration 0002 seeds topics such as politik and kebijakan, but a
    transactional test flushes them afterwards, so tests never rely on them.
    """
    slug = slug or f"topik-{next(_sequence)}"
    defaults = {"name": name or slug.replace("-", " ").title(), "parent": parent, **kwargs}
    topic, created = Topic.objects.get_or_create(slug=slug, defaults=defaults)
    if not created and (topic.parent_id != (parent.pk if parent else None) or name):
        topic.parent = parent
        topic.name = name or topic.name
        save_topic(topic)
    return topic


def make_article(*, author=None, topic=None, tags=(), **kwargs):
    """A published article (published_at set) unless told otherwise."""
    number = next(_sequence)
    kwargs.setdefault("title", f"Artikel warga nomor {number}")
    kwargs.setdefault("body", f"<p>Isi artikel nomor {number}.</p>")
    kwargs.setdefault("status", Article.Status.PUBLISHED)
    if kwargs["status"] != Article.Status.DRAFT:
        # Later builds publish later, so "latest first" lists follow creation order.
        kwargs.setdefault(
            "published_at", timezone.now() - timedelta(hours=12) + timedelta(seconds=number)
        )
    article = Article(author=author or make_user(), topic=topic or make_topic(), **kwargs)
    article._pending_tag_names = list(tags)  # searched by their names (fill_search_fields)
    article.save(force_insert=True)
    if tags:
        article.tags.add(*tags)
    return article


def edit_article(article, *, by=None, **changes):
    """Save ``article`` through the service the write page uses, with ``changes``."""
    data = {
        "title": article.title,
        "topic": article.topic,
        "excerpt": article.excerpt,
        "body": article.body,
        "cover_caption": "",
        "cover_credit": "",
        **changes,
    }
    return save_article(article, author=by or article.author, data=data, tags=[])
