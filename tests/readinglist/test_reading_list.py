"""Bacaan Saya: saving articles to read later (README, "Reading list")."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Article
from articles.services import hide_article
from caching import memory
from readinglist import services
from readinglist.models import Bookmark
from tests.factories import make_article, make_topic, make_user, signed_in_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader():
    return make_user(username="pembaca", display_name="Pembaca Setia")


@pytest.fixture
def article():
    return make_article(topic=make_topic("lingkungan"), title="Sungai yang kembali jernih")


def save_url(article) -> str:
    return reverse("readinglist:toggle", args=[article.pk])


def test_saving_from_the_article_page_without_javascript(reader, article):
    client = signed_in_client(reader)
    page = client.get(article.get_absolute_url()).content.decode()
    assert 'class="bookmark-button" aria-pressed="false">Simpan<' in page

    response = client.post(
        save_url(article), {"action": "save", "next": article.get_absolute_url()}, follow=True
    )

    assert Bookmark.objects.filter(reader=reader, article=article).exists()
    page = response.content.decode()
    assert "Disimpan ke Bacaan Saya." in page
    assert 'class="bookmark-button" aria-pressed="true">Disimpan<' in page


def test_the_list_shows_saved_articles_newest_saved_first_and_removes_them(reader, article):
    older = make_article(title="Pasar pagi di tepi kali")
    services.save(reader, older)
    services.save(reader, article)
    client = signed_in_client(reader)

    page = client.get(reverse("readinglist:list")).content.decode()
    assert page.index(article.title) < page.index(older.title)

    client.post(save_url(older), {"action": "remove", "next": reverse("readinglist:list")})
    page = client.get(reverse("readinglist:list")).content.decode()
    assert older.title not in page and article.title in page


def test_the_list_is_private_and_counts_are_never_public(reader, article):
    services.save(reader, article)
    someone = make_user(username="oranglain")

    assert (
        article.title
        not in signed_in_client(someone).get(reverse("readinglist:list")).content.decode()
    )
    anonymous = Client().get(reverse("readinglist:list"))
    assert anonymous.status_code == 302 and "/akun/login/" in anonymous["Location"]
    page = Client().get(article.get_absolute_url()).content.decode()
    assert not re.search(r"[0-9]+ (orang )?menyimpan", page)


def test_a_hidden_article_leaves_the_list_and_comes_back_with_it(reader, article):
    services.save(reader, article)
    hide_article(article)

    page = signed_in_client(reader).get(reverse("readinglist:list")).content.decode()
    assert article.title not in page
    assert Bookmark.objects.filter(reader=reader, article=article).exists()  # kept, not lost


def test_a_draft_cannot_be_saved(reader):
    draft = make_article(status=Article.Status.DRAFT)
    response = signed_in_client(reader).post(save_url(draft), {"action": "save"})
    assert response.status_code == 404
    assert not Bookmark.objects.exists()


def test_an_unknown_action_changes_nothing_and_says_why(reader, article):
    response = signed_in_client(reader).post(
        save_url(article), {"action": "hapus-semua"}, follow=True
    )
    assert "Pilih menyimpan tulisan atau menghapusnya." in response.content.decode()
    assert not Bookmark.objects.exists()


def test_cards_link_to_a_confirmation_that_works_without_javascript(reader, article):
    client = signed_in_client(reader)
    home = client.get("/").content.decode()
    assert f'href="{save_url(article)}?next=/"' in home

    confirm = client.get(save_url(article) + "?next=/")
    assert confirm.status_code == 200
    assert "Simpan ke Bacaan Saya?" in confirm.content.decode()
    response = client.post(save_url(article), {"action": "save", "next": "/"})
    assert response["Location"] == "/"
    assert client.get(save_url(article)).content.decode().count("Hapus dari Bacaan Saya?") == 1


def test_the_next_address_must_be_on_this_site(reader, article):
    response = signed_in_client(reader).post(
        save_url(article), {"action": "save", "next": "https://jahat.example/"}
    )
    assert response["Location"] == article.get_absolute_url()


def test_status_answers_only_for_the_reader_and_is_bounded(
    reader, article, django_assert_num_queries
):
    other = make_article()
    services.save(reader, article)
    services.save(make_user(), other)
    client = signed_in_client(reader)
    full_width_twelve = "\uff11\uff12"
    ids = [article.pk, other.pk, "x", "", full_width_twelve, *range(10_000, 10_100)]
    query = "&".join(f"id={value}" for value in ids)
    client.get("/")  # session and user loaded once before counting

    with django_assert_num_queries(2):  # the user, then one lookup whatever the ids
        response = client.get(f"{reverse('readinglist:status')}?{query}")

    assert response.json() == {"on": [article.pk]}
    assert "private" in response["Cache-Control"]


def test_posting_in_place_answers_json(reader, article):
    response = signed_in_client(reader).post(
        save_url(article), {"action": "save"}, headers={"x-requested-with": "fetch"}
    )
    assert response.json() == {
        "on": True,
        "label": "Disimpan",
        "action": "remove",
        "message": "Disimpan ke Bacaan Saya.",
    }


def test_shared_signed_in_page_shows_each_reader_their_own_state(settings, article):
    settings.PAGE_CACHE = True
    settings.FRAGMENT_CACHE = True
    ani, budi = make_user(username="ani"), make_user(username="budi")
    services.save(ani, article)

    ani_page = signed_in_client(ani).get(article.get_absolute_url()).content.decode()
    budi_page = signed_in_client(budi).get(article.get_absolute_url()).content.decode()

    assert len(memory.reader_pages) == 1
    assert 'aria-pressed="true">Disimpan<' in ani_page
    assert 'aria-pressed="false">Simpan<' in budi_page

    signed_in_client(budi).post(save_url(article), {"action": "save"})
    budi_page = signed_in_client(budi).get(article.get_absolute_url()).content.decode()
    assert 'aria-pressed="true">Disimpan<' in budi_page


def test_english(reader, article):
    client = signed_in_client(reader)
    response = client.post(
        "/en" + save_url(article), {"action": "save", "next": "/en/bacaan-saya/"}, follow=True
    )
    page = response.content.decode()
    assert "Saved to My reading list." in page and "My reading list" in page
