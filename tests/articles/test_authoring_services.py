"""The authoring rules, through articles.services and articles.access."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory
from django.utils import timezone

from articles.access import get_article_for_editor, get_article_for_reader
from articles.models import Article
from articles.sanitizer import PAGE_BREAK
from articles.services import (
    delete_article,
    flush_view_counts,
    normalise_tag,
    publish_article,
    record_view,
    save_article,
    unpublish_article,
)
from tests.factories import BROWSER, make_article, make_topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def topic(db):
    return make_topic("pendidikan-umum", name="Pendidikan")


def form_data(topic, **overrides):
    """What ArticleForm.cleaned_data holds for a complete article."""
    data = {
        "title": "Sekolah Gratis",
        "topic": topic,
        "excerpt": "",
        "body": "<p>Isi.</p>",
        "cover_caption": "",
        "cover_credit": "",
    }
    data.update(overrides)
    return data


def new_draft(user, topic, **overrides):
    return save_article(Article(), author=user, data=form_data(topic, **overrides), tags=[])


def request_by(person):
    request = RequestFactory().get("/", headers={"user-agent": BROWSER})
    request.user = person if person is not None else AnonymousUser()
    return request


# --- normalise_tag ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Pendidikan", "pendidikan"),
        ("  #Kebijakan  Publik ", "kebijakan publik"),
        ("#pemilu2024", "pemilu2024"),
        ("Jalan\tRaya\nDesa", "jalan raya desa"),
        ("pendidikan.", "pendidikan"),
        (";:,.", ""),
        ("#", ""),
        ("   ", ""),
        ("x" * 80, "x" * 50),
    ],
)
def test_normalise_tag_gives_one_spelling(typed, stored):
    assert normalise_tag(typed) == stored


def test_normalise_tag_is_idempotent():
    once = normalise_tag("  #Kebijakan  Publik ")
    assert normalise_tag(once) == once


# --- save_article ----------------------------------------------------------------


def test_save_article_creates_a_draft_owned_by_the_author(user, topic):
    article = new_draft(user, topic)

    article.refresh_from_db()
    assert article.author == user
    assert article.status == Article.Status.DRAFT
    assert article.published_at is None
    assert article.updated_at is None
    assert article.slug == "sekolah-gratis"


def test_save_article_takes_only_the_author_fields_from_data(user, other_user, topic):
    data = form_data(
        topic,
        author=other_user,
        status=Article.Status.PUBLISHED,
        view_count=999,
        published_at=timezone.now(),
        is_pick=True,
        is_headline=True,
        comment_count=12,
    )

    article = save_article(Article(), author=user, data=data, tags=[])

    article.refresh_from_db()
    assert article.author == user
    assert article.status == Article.Status.DRAFT
    assert article.view_count == 0
    assert article.published_at is None
    assert not article.is_pick
    assert not article.is_headline
    assert article.comment_count == 0


def test_save_article_never_changes_the_author_of_an_existing_article(user, staff_user, topic):
    article = new_draft(user, topic)

    save_article(article, author=staff_user, data=form_data(topic, title="Disunting"), tags=[])

    article.refresh_from_db()
    assert article.author == user
    assert article.title == "Disunting"


def test_save_article_sanitises_the_body_and_marks_page_breaks(user, topic):
    article = new_draft(
        user, topic, body="<p>Satu<script>alert(1)</script></p><hr><p onclick='x()'>Dua</p>"
    )

    assert article.body_html == f"<p>Satu</p>{PAGE_BREAK}<p>Dua</p>"
    assert article.pages() == ["<p>Satu</p>", "<p>Dua</p>"]


def test_save_article_sets_the_tags(user, topic):
    article = save_article(
        Article(), author=user, data=form_data(topic), tags=["pendidikan", "kebijakan publik"]
    )
    assert sorted(article.tags.names()) == ["kebijakan publik", "pendidikan"]

    save_article(article, author=user, data=form_data(topic), tags=["desa"])

    article.refresh_from_db()
    assert list(article.tags.names()) == ["desa"]


def test_editing_a_draft_does_not_set_the_updated_time(user, topic):
    article = new_draft(user, topic)

    save_article(article, author=user, data=form_data(topic, body="<p>Baru.</p>"), tags=[])

    article.refresh_from_db()
    assert article.updated_at is None


def test_editing_a_published_article_sets_the_updated_time(user, topic):
    article = make_article(author=user, topic=topic)
    published_at = article.published_at

    save_article(article, author=user, data=form_data(topic, body="<p>Baru.</p>"), tags=[])

    article.refresh_from_db()
    assert article.published_at == published_at
    assert article.updated_at > published_at
    assert article.was_updated


def test_slug_follows_the_title_until_first_publication(user, topic):
    article = new_draft(user, topic, title="Judul Pertama")
    save_article(article, author=user, data=form_data(topic, title="Judul Kedua"), tags=[])
    assert article.slug == "judul-kedua"

    publish_article(article, by=user)
    save_article(article, author=user, data=form_data(topic, title="Judul Ketiga"), tags=[])

    article.refresh_from_db()
    assert article.title == "Judul Ketiga"
    assert article.slug == "judul-kedua"


def test_slug_stays_when_an_unpublished_article_is_renamed(user, topic):
    article = make_article(author=user, topic=topic, title="Judul Terbit")
    unpublish_article(article, by=user)

    save_article(article, author=user, data=form_data(topic, title="Judul Draf"), tags=[])

    article.refresh_from_db()
    assert article.slug == "judul-terbit"


def test_title_without_letters_still_gets_a_slug(user, topic):
    article = new_draft(user, topic, title="!!! ???")

    assert article.slug == "artikel"
    assert article.get_absolute_url()


# --- publish, unpublish, delete --------------------------------------------------


def test_publish_sets_the_published_time_once(user, topic):
    article = new_draft(user, topic)

    publish_article(article, by=user)
    first = article.published_at
    publish_article(article, by=user)

    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article.published_at == first
    assert article.updated_at is None


def test_unpublish_returns_to_draft_and_keeps_the_published_time(user, topic):
    article = make_article(author=user, topic=topic)
    published_at = article.published_at

    unpublish_article(article, by=user)

    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    assert article.published_at == published_at


def test_republishing_keeps_the_first_published_time(user, topic):
    article = make_article(author=user, topic=topic)
    first = article.published_at
    unpublish_article(article, by=user)

    publish_article(article, by=user)

    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article.published_at == first
    assert article.updated_at > first


def test_unpublish_of_a_draft_changes_nothing(user, topic):
    article = new_draft(user, topic)

    unpublish_article(article, by=user)

    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    assert article.published_at is None


@pytest.mark.parametrize("status", [Article.Status.HIDDEN, Article.Status.DELETED])
def test_publish_never_brings_back_a_hidden_or_deleted_article(user, topic, status):
    article = make_article(author=user, topic=topic, status=status)

    publish_article(article, by=user)

    article.refresh_from_db()
    assert article.status == status


def test_unpublish_never_reveals_a_hidden_article_as_draft(user, topic):
    article = make_article(author=user, topic=topic, status=Article.Status.HIDDEN)

    unpublish_article(article, by=user)

    article.refresh_from_db()
    assert article.status == Article.Status.HIDDEN


def test_delete_marks_the_article_deleted_and_keeps_the_row(user, topic):
    article = make_article(author=user, topic=topic, tags=["pendidikan"])

    delete_article(article, by=user)

    article.refresh_from_db()
    assert article.status == Article.Status.DELETED
    assert list(article.tags.names()) == ["pendidikan"]
    assert not Article.objects.published().exists()
    assert not Article.objects.by_author(user).exists()


# --- Access helpers --------------------------------------------------------------


def test_reader_gets_404_for_a_draft_unless_author_or_staff(user, other_user, staff_user, topic):
    article = new_draft(user, topic)

    for person in (None, other_user):
        with pytest.raises(Http404):
            get_article_for_reader(request_by(person), article.pk)
    for person in (user, staff_user):
        assert get_article_for_reader(request_by(person), article.pk) == article


def test_reader_gets_404_for_a_deleted_article_even_as_author(user, staff_user, topic):
    article = make_article(author=user, topic=topic, status=Article.Status.DELETED)

    for person in (None, user, staff_user):
        with pytest.raises(Http404):
            get_article_for_reader(request_by(person), article.pk)


def test_editor_is_the_author_or_staff(user, other_user, staff_user, topic):
    article = make_article(author=user, topic=topic)

    assert get_article_for_editor(request_by(user), article.pk) == article
    assert get_article_for_editor(request_by(staff_user), article.pk) == article
    with pytest.raises(PermissionDenied):
        get_article_for_editor(request_by(other_user), article.pk)
    with pytest.raises(PermissionDenied):
        get_article_for_editor(request_by(None), article.pk)


def test_editor_gets_404_for_a_deleted_or_missing_article(user, topic):
    article = make_article(author=user, topic=topic, status=Article.Status.DELETED)

    with pytest.raises(Http404):
        get_article_for_editor(request_by(user), article.pk)
    with pytest.raises(Http404):
        get_article_for_editor(request_by(user), article.pk + 1000)


# --- record_view -----------------------------------------------------------------


def test_a_view_counts_once_per_reader_per_window(user, other_user, topic):
    article = make_article(author=user, topic=topic)

    assert record_view(article, request_by(other_user))
    assert not record_view(article, request_by(other_user))

    flush_view_counts()  # with Redis, views reach the database in batches
    article.refresh_from_db()
    assert article.view_count == 1


def test_the_authors_own_visits_and_drafts_are_not_counted(user, other_user, topic):
    published = make_article(author=user, topic=topic)
    draft = make_article(author=user, topic=topic, status=Article.Status.DRAFT)

    assert not record_view(published, request_by(user))
    assert not record_view(draft, request_by(other_user))

    published.refresh_from_db()
    draft.refresh_from_db()
    assert published.view_count == draft.view_count == 0


@pytest.mark.parametrize("agent", ["", "Googlebot/2.1", "HeadlessChrome/120", "curl-spider"])
def test_bots_and_agentless_visits_are_not_counted(user, topic, agent):
    article = make_article(author=user, topic=topic)
    request = RequestFactory().get("/", headers={"user-agent": agent})
    request.user = AnonymousUser()

    assert not record_view(article, request)


def test_publishing_keeps_an_old_published_time_set_by_an_editor(user, topic):
    """A draft that already carries a published time (unpublished, then republished)."""
    earlier = timezone.now() - timedelta(days=30)
    article = make_article(
        author=user, topic=topic, status=Article.Status.DRAFT, published_at=earlier
    )

    publish_article(article, by=user)

    article.refresh_from_db()
    assert article.published_at == earlier
