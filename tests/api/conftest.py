import socket

import pytest
from django.core.cache import caches
from django.test import Client

from api import services
from api.models import Scope
from caching import redis
from tests.factories import make_article, make_topic, make_user


def bearer(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def api():
    return Client()


@pytest.fixture
def author(db):
    return make_user(username="ani", display_name="Ani Wulandari", email="ani@example.com")


@pytest.fixture
def topic(db):
    return make_topic("kebijakan", name="Kebijakan")


@pytest.fixture
def token_for():
    """``token_for(user, *scopes)``: a new token's secret (every scope by default)."""

    def make(user, *scopes):
        _token, secret = services.create_token(
            user, name="skrip", scopes=list(scopes or Scope.values)
        )
        return secret

    return make


@pytest.fixture
def published(author, topic):
    return make_article(
        author=author,
        topic=topic,
        title="Subsidi pupuk untuk petani",
        body="<p>Halaman satu.</p><hr><p>Halaman <b>dua</b>.</p>",
        tags=["subsidi", "pertanian"],
    )


@pytest.fixture
def redis_refused(settings):
    """``redis_refused()``: from now on the shared cache is a Redis where nothing
    listens (as in tests/caching/test_redis_outage.py)."""

    def point():
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        settings.CACHES = {
            "default": {
                "BACKEND": "caching.backends.ResilientRedisCache",
                "LOCATION": f"redis://127.0.0.1:{port}/0",
                "KEY_PREFIX": "outage",
            }
        }
        caches._settings = caches.settings = settings.CACHES
        caches._connections.__dict__.pop("default", None)
        redis._client.cache_clear()
        redis.health.reset()

    yield point
    redis._client.cache_clear()
    redis.health.reset()
    caches._connections.__dict__.pop("default", None)
