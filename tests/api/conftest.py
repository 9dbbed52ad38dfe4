import pytest
from django.test import Client

from api import services
from api.models import Scope
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
