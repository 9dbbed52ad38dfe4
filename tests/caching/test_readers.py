"""Signed-in pages shared by every ordinary reader, with the reader's own parts filled
in per request (caching.readers; README, "Caching")."""

import base64
import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts.services import follow_author, unfollow_author, update_profile
from articles.models import Article, RatingLabel
from articles.services import flush_view_counts, publish_article, rate_article
from caching import generations, memory, readers, stats
from comments.services import post_comment
from tests.factories import BROWSER, make_article, make_topic, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fragments_on(settings):
    settings.PAGE_CACHE = True
    settings.FRAGMENT_CACHE = True


@pytest.fixture
def article(db):
    writer = make_user(username="penulisbersama", display_name="Penulis Bersama")
    return make_article(author=writer, topic=make_topic("kebijakan"), title="Taman kota baru")


def reader_client(user) -> Client:
    client = Client(headers={"user-agent": BROWSER})
    client.force_login(user)
    return client


def page_of(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    return response.content.decode()


def pressed(page) -> list[str]:
    return re.findall(r'value="([a-z_]+)" class="rating-button" aria-pressed="true"', page)


def test_two_readers_share_one_copy_and_each_sees_only_their_own_parts(article):
    ani = make_user(username="ani", display_name="Ani Wijaya")
    budi = make_user(username="budi", display_name="Budi Santoso")
    rate_article(article, user=ani, label=RatingLabel.INSPIRATIF)
    follow_author(ani, author=article.author)
    follow_author(ani, author=budi)  # Budi has one unread notice
    url = article.get_absolute_url()

    ani_page = page_of(reader_client(ani), url)
    budi_page = page_of(reader_client(budi), url)

    assert len(memory.reader_pages) == 1  # one copy for both
    assert "Ani Wijaya" in ani_page and "Ani Wijaya" not in budi_page
    assert "Budi Santoso" in budi_page and "Budi Santoso" not in ani_page
    assert pressed(ani_page) == ["inspiratif"] and "Tarik nilai saya" in ani_page
    assert pressed(budi_page) == [] and "Tarik nilai saya" not in budi_page
    assert "is-following" in ani_page and "is-following" not in budi_page
    assert 'class="bell-count">1<' in budi_page and "bell-count" not in ani_page
    assert "<kw-slot" not in ani_page + budi_page


def test_each_reader_gets_their_own_csrf_token_and_it_works(article):
    ani = make_user(username="ani")
    budi = make_user(username="budi")
    url = article.get_absolute_url()
    page_of(reader_client(ani), url)  # the shared copy is made for Ani's request

    client = Client(enforce_csrf_checks=True, headers={"user-agent": BROWSER})
    client.force_login(budi)
    page = page_of(client, url)
    tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page))
    assert tokens and all(re.fullmatch(r"[A-Za-z0-9]{64}", token) for token in tokens)

    response = client.post(
        f"/nilai/{article.pk}/",
        {"label": RatingLabel.UNIK, "csrfmiddlewaretoken": tokens.pop()},
    )
    assert response.status_code == 302
    assert pressed(page_of(client, url)) == ["unik"]  # the reader's own rating, at once


def test_commenters_share_the_copy_and_see_their_own_comments_controls(article):
    reader = make_user(username="pembacabiasa")
    ani = make_user(username="anikomentar")
    budi = make_user(username="budikomentar")
    mine = post_comment(article, author=ani, body="Tamannya teduh sekali.")
    theirs = post_comment(article, author=budi, body="Bangkunya kurang banyak.")
    url = article.get_absolute_url()
    page_of(reader_client(reader), url)
    hits = stats.counts["reader_page.hit"]

    ani_page = page_of(reader_client(ani), url)
    budi_page = page_of(reader_client(budi), url)
    reader_page = page_of(reader_client(reader), url)

    assert stats.counts["reader_page.hit"] == hits + 3  # one copy for all three
    assert f"/komentar/{mine.pk}/ubah/" in ani_page
    assert f"/komentar/{theirs.pk}/ubah/" not in ani_page
    assert f"/laporkan/komentar/{theirs.pk}/" in ani_page
    assert f"/laporkan/komentar/{mine.pk}/" not in ani_page
    assert f"/komentar/{theirs.pk}/ubah/" in budi_page
    assert f"/komentar/{mine.pk}/ubah/" not in budi_page
    assert "data-comment-edit" not in reader_page
    assert "kw-mine-" not in ani_page + budi_page + reader_page


def test_one_render_of_the_article_serves_signed_out_and_signed_in_readers(article, settings):
    settings.PAGE_CACHE = False  # the signed-out reader's page is rendered, its blocks kept
    url = article.get_absolute_url()
    signed_out = Client(headers={"user-agent": BROWSER}).get(url)
    signed_in = reader_client(make_user(username="dewiblok", display_name="Dewi Blok")).get(url)
    out_page, in_page = signed_out.content.decode(), signed_in.content.decode()

    assert "includes/author_block.html" in [t.name for t in signed_out.templates]
    assert "includes/author_block.html" not in [t.name for t in signed_in.templates]
    assert "Masuk untuk memberi nilai" in out_page and "Masuk untuk memberi nilai" not in in_page
    assert 'class="rating-form"' in in_page and 'class="rating-form"' not in out_page
    assert 'class="account-name">Dewi Blok' in in_page
    assert f'action="{reverse("accounts:follow", args=[article.author.username])}"' in in_page
    assert f'action="{reverse("accounts:follow", args=[article.author.username])}"' not in out_page
    for marker in ("kw-in-", "kw-out-", "kw-slot", "kw-mine-", "kw-csrf-"):
        assert marker not in out_page + in_page


def test_the_author_and_staff_get_the_page_rendered_for_them(article):
    reader = make_user(username="pembacabiasa")
    staff = make_user(username="redaksi", is_staff=True)
    post_comment(article, author=make_user(username="pemberikomentar"), body="Teduh sekali.")
    url = article.get_absolute_url()
    page_of(reader_client(reader), url)
    assert len(memory.reader_pages) == 1

    own = page_of(reader_client(article.author), url)
    moderated = page_of(reader_client(staff), url)

    assert 'class="rating-form"' not in own  # the author does not rate their own
    assert f'action="{reverse("accounts:follow", args=[article.author.username])}"' not in own
    assert "Sembunyikan" in own and "Sembunyikan" in moderated  # they may hide comments
    assert "Sembunyikan" not in page_of(reader_client(reader), url)


def test_a_message_for_the_reader_is_shown_once_to_them_in_the_shared_copy(article):
    ani = make_user(username="ani")
    budi = make_user(username="budi")
    url = article.get_absolute_url()
    ani_client = reader_client(ani)
    page_of(reader_client(budi), url)
    response = ani_client.post(f"/nilai/{article.pk}/", {"label": RatingLabel.UNIK})
    assert response.status_code == 302
    hits = stats.counts["reader_page.hit"]

    ani_page = page_of(ani_client, url)
    budi_page = page_of(reader_client(budi), url)
    ani_again = page_of(ani_client, url)

    # The rating made the copy stale: Ani's request rebuilt it, Budi's and her next one hit it.
    assert stats.counts["reader_page.hit"] == hits + 2
    assert "Terima kasih telah menilai artikel ini." in ani_page
    assert pressed(ani_page) == ["unik"]
    assert 'class="message' not in budi_page
    assert 'class="message' not in ani_again  # shown once


def test_a_comment_cannot_forge_a_slot(article):
    ani = make_user(username="ani", display_name="Ani Wijaya")
    mallory = make_user(username="mallory")
    url = article.get_absolute_url()
    page_of(reader_client(ani), url)
    data = base64.urlsafe_b64encode(json.dumps(["account-nav", {}]).encode()).decode()
    forged = f'<kw-slot d="{data}" s="{"0" * 24}"></kw-slot>'
    post_comment(article, author=mallory, body=f"Lihat ini {forged}")

    page = page_of(reader_client(make_user(username="citra")), url)

    assert page.count("Ani Wijaya") == 0
    assert "&lt;kw-slot" in page


def test_each_signed_in_reader_of_a_shared_copy_is_counted_once(article):
    url = article.get_absolute_url()
    for name in ("ani", "budi", "citra"):
        client = reader_client(make_user(username=name))
        page_of(client, url)
        page_of(client, url)

    flush_view_counts()  # with Redis, views wait in its buffer for the worker
    article.refresh_from_db()
    assert article.view_count == 3


def test_a_warm_shared_article_page_runs_the_readers_lookups_only(
    article, django_assert_max_num_queries
):
    url = article.get_absolute_url()
    page_of(reader_client(make_user(username="ani")), url)
    client = reader_client(make_user(username="budi"))
    page_of(client, url)

    # The user only: the bell, the follow state and the own rating are cached under
    # the reader's generation, nothing about the article is read.
    with django_assert_max_num_queries(1):
        page_of(client, url)


@pytest.mark.parametrize("page", ["home", "topic", "tag", "author"])
def test_list_pages_are_shared_too_and_show_the_readers_name(article, page):
    article.tags.add("taman")
    urls = {
        "home": "/",
        "topic": article.topic.get_absolute_url(),
        "tag": "/tag/taman/",
        "author": article.author.get_absolute_url(),
    }
    ani = make_user(username="ani", display_name="Ani Wijaya")
    budi = make_user(username="budi", display_name="Budi Santoso")

    ani_page = page_of(reader_client(ani), urls[page])
    budi_page = page_of(reader_client(budi), urls[page])

    assert len(memory.reader_pages) == 1
    assert "Ani Wijaya" in ani_page and "Ani Wijaya" not in budi_page
    assert "Budi Santoso" in budi_page


def test_a_draft_is_never_shared_and_its_author_sees_it(db):
    writer = make_user(username="penulisdraf")
    draft = make_article(author=writer, status=Article.Status.DRAFT, published_at=None)

    assert reader_client(make_user(username="ani")).get(draft.get_absolute_url()).status_code == 404
    assert page_of(reader_client(writer), draft.get_absolute_url())
    assert len(memory.reader_pages) == 0


def test_the_readers_bell_follow_and_rating_change_at_once_on_a_warm_page(article):
    from accounts.services import unfollow_author
    from articles.services import withdraw_rating
    from notifications.services import mark_all_read

    ani = make_user(username="ani")
    budi = make_user(username="budi")
    client = reader_client(ani)
    url = article.get_absolute_url()

    def after(change):
        page_of(client, url)  # warm: the shared copy and Ani's parts are cached
        change()
        return page_of(client, url)

    assert 'class="bell-count">1<' in after(lambda: follow_author(budi, author=ani))
    assert "bell-count" not in after(lambda: mark_all_read(ani))
    assert "is-following" in after(lambda: follow_author(ani, author=article.author))
    assert "is-following" not in after(lambda: unfollow_author(ani, author=article.author))
    rate = lambda: rate_article(article, user=ani, label=RatingLabel.AKTUAL)  # noqa: E731
    assert pressed(after(rate)) == ["aktual"]
    assert pressed(after(lambda: withdraw_rating(article, user=ani))) == []


def test_the_following_page_counts_once_and_shows_a_new_follow_at_once(
    article, django_assert_max_num_queries
):
    ani = make_user(username="ani")
    other = make_article(author=make_user(username="penulislain"), title="Pasar pagi ramai")
    follow_author(ani, author=article.author)
    client = reader_client(ani)
    page_of(client, "/diikuti/")

    with django_assert_max_num_queries(3) as queries:  # the user, the list, how many followed
        page = page_of(client, "/diikuti/")
    assert not [q for q in queries if "COUNT" in q["sql"] and "articles_article" in q["sql"]]
    assert "Taman kota baru" in page and "Pasar pagi ramai" not in page

    follow_author(ani, author=other.author)
    page = page_of(client, "/diikuti/")
    assert "Taman kota baru" in page and "Pasar pagi ramai" in page


def test_diikuti_is_kept_for_its_reader_alone_and_fresh_after_each_write_it_shows(article):
    citra = make_user(username="citraikut", display_name="Citra Ikut")
    dodi = make_user(username="dodiikut", display_name="Dodi Ikut")
    other = make_user(username="penulislain", display_name="Penulis Lain")
    make_article(author=other, topic=article.topic, title="Sungai bersih")
    follow_author(citra, author=article.author)
    follow_author(dodi, author=other)
    citra_client, dodi_client = reader_client(citra), reader_client(dodi)

    first = citra_client.get("/diikuti/")
    again = citra_client.get("/diikuti/")
    dodi_page = page_of(dodi_client, "/diikuti/")

    assert "Taman kota baru" in first.content.decode()
    assert "Taman kota baru" in again.content.decode()
    cards = "includes/article_card.html"
    assert cards in [t.name for t in first.templates]
    assert cards not in [t.name for t in again.templates]  # kept, not rendered again
    assert "Sungai bersih" in dodi_page and "Taman kota baru" not in dodi_page

    draft = make_article(
        author=article.author, topic=article.topic, status=Article.Status.DRAFT, title="Jalur"
    )
    publish_article(draft, by=article.author)
    assert "Jalur" in page_of(citra_client, "/diikuti/")

    follow_author(citra, author=other)
    assert "Sungai bersih" in page_of(citra_client, "/diikuti/")

    data = {f: getattr(other, f) for f in ("occupation", "tagline", "bio")}
    update_profile(other, data={**data, "display_name": "Penulis Baru"})
    assert "Penulis Baru" in page_of(citra_client, "/diikuti/")

    unfollow_author(citra, author=article.author)
    assert "Jalur" not in page_of(citra_client, "/diikuti/")


def test_a_marker_not_signed_with_the_sites_key_is_left_as_text():
    data = base64.urlsafe_b64encode(json.dumps(["account-nav", {}]).encode()).decode()
    forged = f'<p><kw-slot d="{data}" s="{"0" * 24}"></kw-slot></p>'
    real = str(readers.render_slot(_shared_render_request(), "account-nav", {}))

    assert readers._split(forged) == [forged]
    before, place, after = readers._split(f"<p>{real}</p>")
    assert (before, place, after) == ("<p>", ("account-nav", {}), "</p>")


def _shared_render_request():
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request._reader_render = readers._Render()
    return request


def test_the_shared_copy_is_rebuilt_from_its_cached_blocks_with_each_commenters_controls(article):
    ani = make_user(username="anikomentar", display_name="Ani Komentar")
    post_comment(article, author=ani, body="Tamannya teduh sekali.")
    url = article.get_absolute_url()
    first = reader_client(make_user(username="budiblok")).get(url)
    memory.reader_pages.clear()  # the copy is gone, its blocks are not

    again = reader_client(make_user(username="citrablok")).get(url)
    ani_page = page_of(reader_client(ani), url)

    assert "includes/author_block.html" in [t.name for t in first.templates]
    assert "includes/author_block.html" not in [t.name for t in again.templates]
    assert "Taman kota baru" in again.content.decode()
    assert 'class="account-name">Citra' not in again.content.decode()
    assert "data-comment-edit" not in again.content.decode()
    assert "data-comment-edit" in ani_page  # her own page: her comment's edit link


def test_a_readers_slots_are_kept_for_them_until_something_they_show_changes(article):
    eka = make_user(username="ekaslot", display_name="Eka Slot")
    client = reader_client(eka)
    url = article.get_absolute_url()
    first = client.get(url)
    again = client.get(url)
    header = "includes/account_nav.html"
    assert header in [t.name for t in first.templates]
    assert header not in [t.name for t in again.templates]  # kept for Eka
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', again.content.decode())[1]
    assert "kw-csrf" not in token

    data = {f: getattr(eka, f) for f in ("occupation", "tagline", "bio")}
    update_profile(eka, data={**data, "display_name": "Eka Baru"})
    follow_author(make_user(username="fajarslot"), author=eka)  # a notice: the bell

    page = page_of(client, url)
    assert 'class="account-name">Eka Baru' in page
    assert 'class="bell-count">1<' in page


def test_a_copy_rebuilt_for_one_reader_does_not_depend_on_that_readers_own_parts(article):
    url = article.get_absolute_url()
    budi = make_user(username="budiulang")
    page_of(reader_client(make_user(username="aniulang")), url)
    generations.bump(generations.article(article.pk))  # the copy is stale
    page_of(reader_client(budi), url)  # rebuilt during Budi's request
    generations.bump(generations.reader(budi.pk), generations.author(budi.pk))
    hits = stats.counts["reader_page.hit"]

    page_of(reader_client(make_user(username="citraulang")), url)

    assert stats.counts["reader_page.hit"] == hits + 1  # Budi's bell is not Citra's page


def test_the_places_of_a_readers_token_are_the_same_in_every_process():
    """A slot's HTML kept in Redis by one worker is filled in by another."""
    import os
    import subprocess
    import sys

    from django.conf import settings

    script = (
        "import django; django.setup(); from caching import readers; "
        "print(readers.CSRF_PLACEHOLDER, readers._CSP_NONCE)"
    )
    env = {**os.environ, "SECRET_KEY": settings.SECRET_KEY, "RELEASE": settings.CACHE_RELEASE}
    env.setdefault("DJANGO_SETTINGS_MODULE", "blogplatform.settings")
    other = subprocess.run(  # noqa: S603 - this interpreter, this project
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    ).stdout.split()

    assert other == [readers.CSRF_PLACEHOLDER, readers._CSP_NONCE]


def test_a_comment_cannot_name_the_place_of_the_readers_token(article):
    body = "Lihat __comment-section-csrf-token__ ini"  # the placeholder it had before
    post_comment(article, author=make_user(username="ulil"), body=body)

    page = page_of(reader_client(make_user(username="vivi")), article.get_absolute_url())

    assert body in page
