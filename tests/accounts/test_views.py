"""Following an author: the + next to the author's name, by POST only."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.models import Follow
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def follow_url(person):
    return reverse("accounts:follow", kwargs={"username": person.username})


def follows(follower, author):
    return Follow.objects.filter(follower=follower, author=author).exists()


@pytest.fixture
def reader(client, user):
    client.force_login(user)
    return client


def test_follow_creates_the_follow_and_returns_to_the_author_page(reader, user, other_user):
    response = reader.post(follow_url(other_user))

    assert response.status_code == 302
    assert response["Location"] == other_user.get_absolute_url()
    assert follows(user, other_user)


def test_follow_is_idempotent(reader, user, other_user):
    reader.post(follow_url(other_user))
    response = reader.post(follow_url(other_user))

    assert response.status_code == 302
    assert Follow.objects.filter(follower=user, author=other_user).count() == 1


def test_unfollow_removes_the_follow(reader, user, other_user):
    Follow.objects.create(follower=user, author=other_user)

    response = reader.post(follow_url(other_user), {"action": "unfollow"})

    assert response.status_code == 302
    assert not follows(user, other_user)


def test_unfollow_without_a_follow_is_idempotent(reader, user, other_user):
    response = reader.post(follow_url(other_user), {"action": "unfollow"})
    assert response.status_code == 302
    assert not Follow.objects.exists()


def test_following_yourself_is_refused(reader, user):
    response = reader.post(follow_url(user), follow=True)

    assert response.status_code == 200
    assert not Follow.objects.exists()
    assert len(list(response.context["messages"])) == 1


def test_anonymous_reader_is_sent_to_sign_in(client, other_user):
    response = client.post(follow_url(other_user))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse(settings.LOGIN_URL))
    assert not Follow.objects.exists()


def test_get_is_refused_with_405(reader, user, other_user):
    response = reader.get(follow_url(other_user))

    assert response.status_code == 405
    assert not follows(user, other_user)


def test_unknown_author_is_404(reader):
    response = reader.post(reverse("accounts:follow", kwargs={"username": "tidak-ada"}))
    assert response.status_code == 404
    assert not Follow.objects.exists()


def test_inactive_author_is_404(reader):
    gone = make_user(is_active=False)
    assert reader.post(follow_url(gone)).status_code == 404
    assert not Follow.objects.exists()


def test_follow_returns_to_a_local_next_page(reader, other_user):
    response = reader.post(follow_url(other_user), {"next": "/artikel/1/judul/"})
    assert response["Location"] == "/artikel/1/judul/"


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "javascript:alert(1)"]
)
def test_follow_never_redirects_off_site(reader, other_user, target):
    response = reader.post(follow_url(other_user), {"next": target})
    assert response["Location"] == other_user.get_absolute_url()


def test_author_page_shows_the_follow_state_and_count(reader, user, other_user):
    page = other_user.get_absolute_url()
    before = reader.get(page).content.decode()
    reader.post(follow_url(other_user))
    after = reader.get(page).content.decode()

    assert f'action="{follow_url(other_user)}"' in before
    assert 'name="action" value="unfollow"' not in before
    assert 'name="action" value="unfollow"' in after
    assert re.search(r"<strong[^>]*>0</strong>", before)
    assert re.search(r"<strong[^>]*>1</strong>", after)


FETCH = {"X-Requested-With": "fetch"}


def test_follow_by_script_answers_json_with_the_new_state(reader, user, other_user):
    response = reader.post(follow_url(other_user), headers=FETCH)

    assert response.status_code == 200
    data = response.json()
    assert data["following"] is True
    assert data["followers"] == 1
    assert follows(user, other_user)


def test_unfollow_by_script_answers_json_with_the_new_state(reader, user, other_user):
    Follow.objects.create(follower=user, author=other_user)

    response = reader.post(follow_url(other_user), {"action": "unfollow"}, headers=FETCH)

    assert response.json()["following"] is False
    assert response.json()["followers"] == 0
    assert not follows(user, other_user)


def test_following_yourself_by_script_is_refused(reader, user):
    response = reader.post(follow_url(user), headers=FETCH)

    assert response.json()["following"] is False
    assert not Follow.objects.exists()
