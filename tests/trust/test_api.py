"""The API tells a writer that their post waits for review, and shows it to nobody else."""

import pytest
from django.test import Client

from api import services as api_services
from api.models import Scope
from tests.api.conftest import bearer
from tests.factories import make_topic
from trust import services
from trust.models import HeldItem

from .conftest import make_account

pytestmark = pytest.mark.django_db


def token(user):
    _token, secret = api_services.create_token(user, name="skrip", scopes=list(Scope.values))
    return bearer(secret)


def post(client, url, data, auth, **extra):
    return client.post(url, data, content_type="application/json", **auth, **extra)


@pytest.fixture
def api():
    return Client()


def test_a_held_comment_is_held_for_its_writer_and_absent_for_everyone_else(
    api, newcomer, article, other_user
):
    mine = token(newcomer)

    answer = post(api, f"/api/v1/articles/{article.pk}/comments", {"body": "Salam kenal."}, mine)

    assert answer.status_code == 201
    held = answer.json()
    assert (held["status"], held["status_label"]) == ("held", "Menunggu tinjauan")
    assert held["text"] == "Salam kenal." and held["article_id"] == article.pk
    english = api.get(f"/api/v1/me/comments/{held['id']}", HTTP_ACCEPT_LANGUAGE="en", **mine)
    assert english.json()["status_label"] == "Waiting for review"
    (listed,) = api.get("/api/v1/me/comments", **mine).json()["results"]
    assert listed["id"] == held["id"] and listed["status"] == "held"

    # Nobody else: not the public thread, not another token, staff's neither.
    public = api.get(f"/api/v1/articles/{article.pk}/comments").json()["results"]
    assert held["id"] not in [comment["id"] for comment in public]
    theirs = token(other_user)
    assert api.get(f"/api/v1/me/comments/{held['id']}", **theirs).status_code == 404
    assert api.get("/api/v1/me/comments", **theirs).json()["results"] == []


def test_a_released_comment_reads_visible_and_joins_the_thread(api, newcomer, article, staff_user):
    mine = token(newcomer)
    held = post(api, f"/api/v1/articles/{article.pk}/comments", {"body": "Salam kenal."}, mine)

    services.release(HeldItem.objects.get(), by=staff_user)

    own = api.get(f"/api/v1/me/comments/{held.json()['id']}", **mine).json()
    assert (own["status"], own["status_label"]) == ("visible", "Ditampilkan")
    public = api.get(f"/api/v1/articles/{article.pk}/comments").json()["results"]
    assert [comment["id"] for comment in public] == [own["id"]]


def test_a_held_article_is_held_for_its_writer_and_absent_for_everyone_else(api, other_user):
    make_topic("kebijakan", name="Kebijakan")
    writer = make_account(days=0, username="penulisbaru")
    mine = token(writer)
    draft = post(
        api,
        "/api/v1/articles",
        {"title": "Perkenalan", "topic": "kebijakan", "body": "<p>Halo warga.</p>"},
        mine,
    ).json()

    published = post(api, f"/api/v1/articles/{draft['id']}/publish", {}, mine)

    assert published.status_code == 200
    assert (published.json()["status"], published.json()["status_label"]) == (
        "held",
        "Menunggu tinjauan",
    )
    assert published.json()["url"] is None
    own = api.get(f"/api/v1/me/articles/{draft['id']}", HTTP_ACCEPT_LANGUAGE="en", **mine)
    assert own.json()["status_label"] == "Waiting for review"
    assert api.get(f"/api/v1/articles/{draft['id']}").status_code == 404
    assert draft["id"] not in [row["id"] for row in api.get("/api/v1/articles").json()["results"]]
    theirs = token(other_user)
    assert api.get(f"/api/v1/me/articles/{draft['id']}", **theirs).status_code == 404
