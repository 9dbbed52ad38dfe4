"""The queue round trip: held, seen by nobody but the writer, released or rejected."""

import pytest
from django.urls import reverse

from articles.models import Article
from articles.services import publish_article
from comments import services as comment_services
from comments.models import Comment
from notifications.models import Notification
from tests.factories import make_article
from trust import services
from trust.models import HeldItem, Level

from .conftest import make_account

pytestmark = pytest.mark.django_db


def held_article(author, title="Perkenalan warga baru"):
    article = make_article(
        author=author, status=Article.Status.DRAFT, title=title, body="<p>Halo semua.</p>"
    )
    publish_article(article, by=author)
    article.refresh_from_db()
    return article


def test_a_held_article_is_seen_by_its_writer_only(client, newcomer, other_user):
    article = held_article(newcomer)
    assert client.get(article.get_absolute_url()).status_code == 404
    assert article.title not in client.get(reverse("articles:home")).content.decode()
    client.force_login(other_user)
    assert client.get(article.get_absolute_url()).status_code == 404
    client.force_login(newcomer)
    page = client.get(article.get_absolute_url())
    assert page.status_code == 200
    assert "Menunggu tinjauan" in page.content.decode()


def test_publishing_a_held_article_tells_the_writer_it_waits(client, newcomer, topic_for_form):
    article = make_article(author=newcomer, status=Article.Status.DRAFT, body="<p>Halo.</p>")
    client.force_login(newcomer)
    response = client.post(reverse("articles:publish", args=[article.pk]), follow=True)
    assert "menunggu tinjauan" in response.content.decode().lower()
    article.refresh_from_db()
    assert article.status == Article.Status.HELD


@pytest.fixture
def topic_for_form():
    return None


def test_release_publishes_tells_the_writer_and_two_releases_promote(newcomer, staff_user, article):
    first = held_article(newcomer)
    comment = comment_services.post_comment(
        article, author=newcomer, body="Salam kenal semuanya.", enforce_limits=False
    )
    assert comment.status == Comment.Status.HELD
    items = list(services.pending())
    assert [item.article_id or item.comment_id for item in items] == [first.pk, comment.pk]
    assert items[0].level == Level.BARU

    assert services.release(items[0], by=staff_user)
    first.refresh_from_db()
    assert first.status == Article.Status.PUBLISHED and first.published_at is not None
    assert services.current_level(newcomer) == Level.BARU
    assert services.release(items[1], by=staff_user)
    comment.refresh_from_db()
    article.refresh_from_db()
    assert comment.status == Comment.Status.VISIBLE
    assert article.comment_count == 1
    assert services.current_level(newcomer) == Level.DASAR
    assert Notification.objects.filter(recipient=newcomer, kind="review_released").count() == 2
    assert not services.release(items[0], by=staff_user)  # once only
    items[0].refresh_from_db()
    assert items[0].decided_by == staff_user


def test_reject_keeps_it_from_the_public_and_counts_as_a_strike(newcomer, staff_user, article):
    held = held_article(newcomer)
    comment = comment_services.post_comment(
        article, author=newcomer, body="Kunjungi profil saya.", enforce_limits=False
    )
    for item in services.pending():
        assert services.reject(item, by=staff_user)
    held.refresh_from_db()
    comment.refresh_from_db()
    assert held.status == Article.Status.DRAFT  # the writer's draft again, never deleted
    assert comment.status == Comment.Status.HIDDEN_BY_MODERATOR
    assert Notification.objects.filter(recipient=newcomer, kind="review_rejected").count() == 2
    assert services.history(newcomer)["standing"].strikes == 2


def test_the_held_items_list_is_a_read_only_record_pointing_to_the_queue(client, staff_user):
    writers = [make_account(username=f"baru{n}") for n in range(4)]
    for n, writer in enumerate(writers):
        held_article(writer, title=f"Tulisan tertahan {n}")
    client.force_login(staff_user)
    staff_user.is_superuser = True
    staff_user.save(update_fields=["is_superuser"])
    url = reverse("admin:trust_helditem_changelist")
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    positions = [html.index(f"Tulisan tertahan {n}") for n in range(4)]
    assert positions == sorted(positions)
    assert "probation" in html
    assert reverse("admin:moderation_case_changelist") + "?status=held" in html
    items = HeldItem.objects.order_by("created_at")
    response = client.post(
        url, {"action": "release_selected", "_selected_action": [items[0].pk, items[1].pk]}
    )
    # No second queue: decisions are taken in the moderation queue only.
    assert HeldItem.objects.filter(status="pending").count() == 4
    assert not Article.objects.filter(status="published", title__startswith="Tulisan").exists()
    assert response.status_code in {200, 302}
    detail = client.get(reverse("admin:trust_helditem_change", args=[items[2].pk]))
    assert detail.status_code == 200
    assert "Halo semua." in detail.content.decode()


def test_the_admin_queue_runs_a_bounded_number_of_queries(
    client, staff_user, django_assert_max_num_queries
):
    for n in range(12):
        held_article(make_account(username=f"antre{n}"), title=f"Antre {n}")
    staff_user.is_superuser = True
    staff_user.save(update_fields=["is_superuser"])
    client.force_login(staff_user)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("admin:trust_helditem_changelist")).status_code == 200


def test_a_held_comment_is_hidden_from_other_readers(client, newcomer, other_user, article):
    comment = comment_services.post_comment(
        article, author=newcomer, body="Komentar pertama saya di sini.", enforce_limits=False
    )
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Komentar pertama saya" not in page
    client.force_login(other_user)
    assert client.get(comment.get_absolute_url()).status_code == 404


def test_a_reader_cannot_open_the_queue(client, other_user):
    client.force_login(other_user)
    response = client.get(reverse("admin:trust_helditem_changelist"))
    assert response.status_code == 302  # to the admin sign-in
