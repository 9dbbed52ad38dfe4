"""Editorial labels (Pilihan, Artikel Utama), audited, and the author's statistics."""

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from accounts.models import Follow
from articles import services
from articles.models import Article, EditorialDecision, Rating
from articles.statistics import author_statistics
from tests.factories import make_article, make_user
from tests.moderation.builders import make_moderator

CHANGELIST = reverse("admin:articles_article_changelist")


@pytest.fixture
def moderator(db):
    return make_moderator(username="moderator")


@pytest.fixture
def moderator_client(moderator):
    client = Client()
    client.force_login(moderator)
    return client


def run_action(client, action, articles, note=""):
    return client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [a.pk for a in articles], "note": note},
        follow=True,
    )


# The service -----------------------------------------------------------------


def test_marking_a_pick_records_who_when_and_why(moderator):
    article = make_article()

    assert services.set_editorial_label(
        article, label="pick", on=True, by=moderator, note="Liputan warga yang teliti"
    )

    article.refresh_from_db()
    assert article.is_pick and not article.is_headline
    (decision,) = EditorialDecision.objects.all()
    assert (decision.article, decision.editor, decision.label, decision.added, decision.note) == (
        article,
        moderator,
        "pick",
        True,
        "Liputan warga yang teliti",
    )


def test_marking_it_again_changes_and_records_nothing(moderator):
    article = make_article(is_headline=True)

    assert not services.set_editorial_label(article, label="headline", on=True, by=moderator)

    assert not EditorialDecision.objects.exists()


def test_removing_a_label_is_recorded_too(moderator):
    article = make_article(is_headline=True)

    assert services.set_editorial_label(article, label="headline", on=False, by=moderator)

    article.refresh_from_db()
    assert not article.is_headline
    assert EditorialDecision.objects.get().added is False


@pytest.mark.parametrize("status", [Article.Status.DRAFT, Article.Status.HIDDEN])
def test_only_published_articles_take_a_label(moderator, status):
    article = make_article(status=status)

    with pytest.raises(ValidationError) as refused:
        services.set_editorial_label(article, label="pick", on=True, by=moderator)

    assert refused.value.code == "not_published"
    article.refresh_from_db()
    assert not article.is_pick
    assert not EditorialDecision.objects.exists()


def test_a_hidden_article_can_lose_its_label(moderator):
    article = make_article(status=Article.Status.HIDDEN, is_pick=True)

    assert services.set_editorial_label(article, label="pick", on=False, by=moderator)

    article.refresh_from_db()
    assert not article.is_pick


# The admin -------------------------------------------------------------------


def test_a_moderator_marks_picks_from_the_article_list_with_a_note(moderator_client, moderator):
    chosen = [make_article(), make_article()]
    draft = make_article(status=Article.Status.DRAFT)

    response = run_action(moderator_client, "mark_pick", [*chosen, draft], note="Pilihan pekan")

    assert response.status_code == 200
    html = response.content.decode()
    assert "2 artikel diubah." in html
    assert "1 artikel belum terbit dan dibiarkan seperti semula." in html
    assert set(Article.objects.filter(is_pick=True)) == set(chosen)
    assert {(d.article, d.editor, d.note) for d in EditorialDecision.objects.all()} == {
        (article, moderator, "Pilihan pekan") for article in chosen
    }


def test_a_moderator_makes_a_headline_and_the_home_page_shows_it(moderator_client):
    article = make_article(title="Jalan desa akhirnya diperbaiki")

    run_action(moderator_client, "mark_headline", [article])

    article.refresh_from_db()
    assert article.is_headline
    home = Client().get(reverse("articles:home")).content.decode()
    headline = home[home.index('aria-labelledby="headline-title"') :]
    assert "Jalan desa akhirnya diperbaiki" in headline[: headline.index("</section>")]


def test_staff_without_the_permission_cannot_label(db):
    staff = make_user(username="staf", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_article"))
    client = Client()
    client.force_login(staff)
    article = make_article()

    response = run_action(client, "mark_pick", [article])

    assert response.status_code == 200
    article.refresh_from_db()
    assert not article.is_pick
    assert not EditorialDecision.objects.exists()


def test_the_change_form_cannot_set_a_label_without_the_audit(db):
    superuser = make_user(username="admin", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(superuser)
    article = make_article()

    page = client.get(reverse("admin:articles_article_change", args=[article.pk]))

    assert page.status_code == 200
    assert 'name="is_pick"' not in page.content.decode()
    assert 'name="is_headline"' not in page.content.decode()


# Statistics --------------------------------------------------------------------


def test_statistics_count_only_published_work(db):
    writer = make_user(username="penulis")
    first = make_article(author=writer, view_count=120, comment_count=4)
    make_article(author=writer, view_count=30, comment_count=1)
    hidden = make_article(author=writer, status=Article.Status.HIDDEN, view_count=999)
    make_article(author=writer, status=Article.Status.DRAFT, view_count=7)
    make_article(view_count=5000)  # someone else's
    for reader in (make_user(), make_user()):
        Rating.objects.create(article=first, user=reader, label="aktual")
    Rating.objects.create(article=hidden, user=make_user(), label="unik")
    for follower in (make_user(), make_user(), make_user()):
        Follow.objects.create(follower=follower, author=writer)

    assert author_statistics(writer) == {
        "articles": 2,
        "views": 150,
        "comments": 5,
        "ratings": 2,
        "followers": 3,
    }


def test_statistics_of_a_new_writer_are_zero(db):
    assert author_statistics(make_user()) == dict.fromkeys(
        ["articles", "views", "comments", "ratings", "followers"], 0
    )


@pytest.mark.parametrize("articles", [1, 25])
def test_statistics_take_one_query_whatever_the_number_of_articles(
    db, django_assert_num_queries, articles
):
    writer = make_user()
    for _ in range(articles):
        make_article(author=writer, view_count=3)

    with django_assert_num_queries(1):
        stats = author_statistics(writer)

    assert stats["views"] == 3 * articles


def test_author_page_and_dashboard_show_the_statistics(db):
    writer = make_user(username="penulis")
    make_article(author=writer, view_count=1234, comment_count=2)
    client = Client()
    client.force_login(writer)

    for url in (writer.get_absolute_url(), reverse("articles:dashboard")):
        html = " ".join(client.get(url).content.decode().split())
        assert "<strong>1.234</strong> kali dibaca" in html, url
        assert "<strong>2</strong> komentar diterima" in html, url
