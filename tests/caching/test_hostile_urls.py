"""A page shows what its own URL asks for, whatever URL anyone opened before it:
repeated parameters, made-up ones carrying an address or a token, overlong
values (README, "Caching": public pages declare the parameters they read)."""

import pytest
from django.test import Client

from comments.models import Comment
from tests.factories import BROWSER, make_article, make_topic, make_user

pytestmark = pytest.mark.django_db

SECRET = "TOKEN123secret"
ADDRESS = "ani@example.com"


@pytest.fixture(autouse=True)
def caches_on(settings):
    settings.PAGE_CACHE = True
    settings.FRAGMENT_CACHE = True


@pytest.fixture
def site(db):
    """Enough articles for three pages of a topic, a tag and an author, and an
    article with comments on two pages."""
    topic = make_topic("kebijakan")
    writer = make_user(username="penulispanjang", display_name="Penulis Panjang")
    articles = [
        make_article(
            author=writer, topic=topic, tags=["subsidi"], title=f"Catatan kebijakan nomor {n:02}"
        )
        for n in range(30)
    ]
    discussed = articles[-1]
    commenter = make_user(username="komentator")
    for n in range(25):
        Comment.objects.create(article=discussed, author=commenter, body=f"Komentar nomor {n}")
    return {"topic": topic, "writer": writer, "article": discussed}


def list_urls(site):
    return {
        "home": "/",
        "topic": site["topic"].get_absolute_url(),
        "tag": "/tag/subsidi/",
        "author": site["writer"].get_absolute_url(),
    }


def reader(signed_in_as=None):
    client = Client(headers={"user-agent": BROWSER})
    if signed_in_as is not None:
        client.force_login(signed_in_as)
    return client


@pytest.fixture(params=["signed out", "signed in"])
def who(request, db):
    return None if request.param == "signed out" else make_user(username="pembacabaru")


@pytest.mark.parametrize("page", ["home", "topic", "tag", "author"])
def test_a_repeated_page_parameter_never_poisons_the_clean_url(site, who, page):
    url = list_urls(site)[page]
    clean = reader(who).get(f"{url}?halaman=1").content.decode()

    hostile = reader().get(f"{url}?halaman=1&halaman=3")
    after = reader(who).get(f"{url}?halaman=1").content.decode()

    # The hostile URL gets what the view reads (the last value, as GET.get does) ...
    assert hostile.status_code == 200
    assert 'aria-current="page">3<' in hostile.content.decode()
    # ... and the clean URL still shows page 1, to everyone.
    assert 'aria-current="page">1<' in after
    assert 'aria-current="page">3<' not in after
    assert strip_tokens(after) == strip_tokens(clean)


def strip_tokens(html: str) -> str:
    """The page without what differs per response (CSRF token, CSP nonce)."""
    import re

    return re.sub(r'(nonce|value)="[^"]*"', "", html)


@pytest.mark.parametrize("page", ["home", "topic", "tag", "author", "article", "search"])
def test_a_made_up_parameter_never_reaches_another_readers_page(site, who, page):
    urls = {**list_urls(site), "article": site["article"].get_absolute_url(), "search": "/cari/"}
    url = urls[page]
    query = "q=kebijakan&" if page == "search" else ""
    hostile = reader().get(f"{url}?{query}email={ADDRESS}&secret={SECRET}&halaman=2")
    assert hostile.status_code in (200, 404)

    for client in (reader(), reader(who)):
        html = client.get(f"{url}?{query}".rstrip("?")).content.decode()
        assert SECRET not in html
        assert ADDRESS not in html
        assert "ani%40example.com" not in html
    # Not in the hostile reader's own links either: they are built from what the page reads.
    assert SECRET not in hostile.content.decode()


def test_the_comment_page_parameter_is_keyed_as_the_view_reads_it(site, who):
    url = site["article"].get_absolute_url()
    reader().get(f"{url}?komentar=1&komentar=2")
    reader().get(f"{url}?komentar=1&urutan=terlama&urutan=terbaru")

    first = reader(who).get(f"{url}?komentar=1").content.decode()
    oldest = reader(who).get(f"{url}?urutan=terlama").content.decode()

    assert "Komentar nomor 24" in first  # newest first, page 1
    assert "Komentar nomor 0<" not in first
    assert "Komentar nomor 0" in oldest


def test_an_overlong_value_answers_without_filling_the_cache(site, who):
    from caching import memory

    before = len(memory.pages)
    response = reader().get("/cari/", {"q": "banjir " * 2000})

    assert response.status_code == 200
    assert len(memory.pages) == before
    assert reader(who).get("/").status_code == 200
