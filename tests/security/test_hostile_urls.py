"""No URL answers 500, however hostile: a NUL byte anywhere in a request (PostgreSQL
refuses NUL in text, SQLite accepts it, so only the PostgreSQL pass sees the 500
this guards against), page numbers that are digits only to Unicode (``'²'.isdigit()``
is true, ``int('²')`` fails), and numbers too large for a column.

Not marked ``postgres``: these run on SQLite and on PostgreSQL alike.
"""

import re

import pytest
from django.http import QueryDict
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver

from comments.models import Comment
from core.middleware import has_unstorable_text
from moderation.models import Report
from notifications import services as notification_services
from notifications.models import Notification
from tests.comments.builders import make_comment
from tests.factories import make_article, make_topic, make_user

from .conftest import signed_in

pytestmark = pytest.mark.django_db

NUL = "%00"
REFUSED = {400, 404}
# Digits to str.isdigit() and to int(), but not ASCII.
ARABIC_INDIC_ONE, FULLWIDTH_ONE, BENGALI_THREE = "\u0661", "\uff11", "\u09e9"


@pytest.fixture
def site(writer):
    """A little of everything the URLs point at, so samples resolve to real rows."""
    topic = make_topic("ekonomi-uji", name="Ekonomi Uji")
    article = make_article(author=writer, topic=topic, tags=["banjir"])
    comment = make_comment(article)
    superuser = make_user(username="admin", is_staff=True, is_superuser=True)
    return {"article": article, "comment": comment, "topic": topic, "superuser": superuser}


def _assert_refused(response, url):
    assert response.status_code in REFUSED, f"{url} answered {response.status_code}"


# --- The cases the hostile crawl found -------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/tag/%00/",
        "/penulis/%00/",
        "/tag/%00/feed/",
        "/penulis/%00/feed/",
        "/laporkan/akun/%00/",
        "/en/tag/%00/",
        "/tag/banjir%00/",
        "/?halaman=%00",
        "/cari/?q=%00",
        "/cari/?topik=%00",
        "/?%00=1",
    ],
)
def test_a_nul_byte_in_a_url_is_a_bad_request_for_anyone(site, url):
    for client in (Client(), signed_in(site["superuser"])):
        response = client.get(url)

        assert response.status_code == 400, url
        assert "Permintaan tidak valid" in response.content.decode() or url.startswith("/en/")


def test_a_nul_byte_probe_is_logged_in_one_line_without_a_traceback(site, caplog):
    with caplog.at_level("INFO"):
        response = Client().get("/tag/%00/")

    assert response.status_code == 400
    refused = [record for record in caplog.records if record.name == "django.request"]
    assert len(refused) == 1
    assert refused[0].exc_info is None


def test_the_bad_request_page_speaks_the_language_of_its_url(site):
    response = Client().get("/en/tag/%00/")

    assert response.status_code == 400
    assert '<html lang="en">' in response.content.decode()
    assert "Bad request" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/admin/articles/article/?status=%00",
        "/admin/articles/article/?status__exact=%00",
        "/admin/articles/article/?q=%00",
        "/admin/moderation/case/?status=%00",
        "/admin/accounts/user/%00/change/",
        "/admin/r/1/%00/",
    ],
)
def test_a_nul_byte_in_an_admin_filter_is_a_bad_request(site, url):
    response = signed_in(site["superuser"]).get(url)

    assert response.status_code == 400, url


def test_a_nul_byte_in_a_cookie_is_a_bad_request(site):
    # Django's cookie parser unquotes the octal escape \000 to a NUL.
    response = Client().get("/", headers={"cookie": 'sessionid="abcdefgh\\000"'})

    assert response.status_code == 400


# --- Page numbers: ASCII digits only -----------------------------------------------------


@pytest.mark.parametrize(
    "number",
    ["²", ARABIC_INDIC_ONE, FULLWIDTH_ONE, BENGALI_THREE, " 1", "+1", "1_0", "1.0", "9" * 30],
)
@pytest.mark.parametrize("parameter", ["halaman", "komentar"])
def test_a_page_number_that_is_not_ascii_digits_is_not_found(site, parameter, number):
    url = site["article"].get_absolute_url() if parameter == "komentar" else "/"

    response = Client().get(url, {parameter: number})

    assert response.status_code == 404, (parameter, number)


def test_a_page_number_in_ascii_digits_still_works(site):
    assert Client().get("/", {"halaman": "1"}).status_code == 200
    assert Client().get(site["article"].get_absolute_url(), {"komentar": "1"}).status_code == 200


@pytest.mark.parametrize("number", ["²", ARABIC_INDIC_ONE, FULLWIDTH_ONE, "0", "-3", "9" * 30])
def test_the_notification_forms_go_back_to_page_one_for_an_odd_page_number(user, number):
    notification_services.notify_new_follower(follower=make_user(), author=user)
    notification = Notification.objects.get(recipient=user)
    client = signed_in(user)

    marked = client.post(f"/notifikasi/{notification.pk}/dibaca/", {"halaman": number})
    all_marked = client.post("/notifikasi/semua-dibaca/", {"halaman": number})

    assert marked.status_code == 302 and marked.url == "/notifikasi/"
    assert all_marked.status_code == 302 and all_marked.url == "/notifikasi/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_the_notification_forms_keep_a_real_page_number(user):
    response = signed_in(user).post("/notifikasi/semua-dibaca/", {"halaman": "3"})

    assert response.url == "/notifikasi/?halaman=3"


@pytest.mark.parametrize("number", ["²", ARABIC_INDIC_ONE])
def test_the_notification_list_answers_404_for_an_odd_page_number(user, number):
    assert signed_in(user).get("/notifikasi/", {"halaman": number}).status_code == 404


@pytest.mark.parametrize("number", ["²", ARABIC_INDIC_ONE, "9" * 30])
def test_the_sitemap_answers_404_for_an_odd_page_number(site, number):
    assert Client().get("/sitemap-articles.xml", {"p": number}).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/artikel/99999999999999999999/judul/",
        "/komentar/99999999999999999999/",
        "/laporkan/artikel/99999999999999999999/",
        "/komentar/99999999999999999999/balas/",
    ],
)
def test_a_number_too_large_for_a_key_is_not_found(site, url):
    assert signed_in(site["superuser"]).get(url).status_code == 404


def test_a_reply_to_an_odd_comment_number_is_refused_with_a_message(site, user):
    before = Comment.objects.count()

    response = signed_in(user).post(
        f"/komentar/artikel/{site['article'].pk}/",
        {"body": "Setuju.", "reply_to": ARABIC_INDIC_ONE},
    )

    assert response.status_code == 400
    assert "membalas komentar pada artikel yang sama" in response.content.decode()
    assert Comment.objects.count() == before


# --- POST forms with a NUL in a field change nothing ----------------------------------


def test_a_comment_with_a_nul_byte_is_refused_and_nothing_is_posted(site, user):
    before = Comment.objects.count()

    response = signed_in(user).post(
        f"/komentar/artikel/{site['article'].pk}/", {"body": "Setuju\x00 sekali."}
    )

    assert response.status_code == 400
    assert Comment.objects.count() == before


def test_a_report_with_a_nul_byte_is_refused_and_nothing_is_filed(site, user):
    response = signed_in(user).post(
        f"/laporkan/artikel/{site['article'].pk}/", {"reason": "spam", "details": "iklan\x00"}
    )
    named_field = signed_in(user).post(
        f"/laporkan/artikel/{site['article'].pk}/", {"reason": "spam", "details\x00": "x"}
    )

    assert response.status_code == 400
    assert named_field.status_code == 400
    assert not Report.objects.exists()


def test_a_profile_with_a_nul_byte_is_refused_and_nothing_changes(user):
    response = signed_in(user).post(
        "/profil/ubah/",
        {"display_name": "Nama\x00Baru", "occupation": "", "tagline": "", "bio": ""},
    )

    assert response.status_code == 400
    user.refresh_from_db()
    assert user.display_name == "Pembaca Setia"


# --- The sweep: every URL pattern, NUL in each text segment and in the query ----------

# A sample for each kind of segment, one a route may hold (a value that matches
# the converter, not necessarily a row).
_PLACEHOLDER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")


def _routes(patterns=None, prefix=""):
    """Every URL pattern's full route, as written (RoutePattern or regex)."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def _segments(route: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) of each placeholder: ``<int:pk>`` or a regex ``(?P<name>...)``."""
    found = [
        (match.start(), match.end(), match["converter"] or "str")
        for match in _PLACEHOLDER.finditer(route)
        if route[match.start() - 3 : match.start()] != "(?P"
    ]
    start = route.find("(?P<")
    while start != -1:
        depth, end = 0, start
        for end in range(start, len(route)):
            depth += {"(": 1, ")": -1}.get(route[end], 0)
            if depth == 0:
                break
        found.append((start, end + 1, "regex"))
        start = route.find("(?P<", end)
    return sorted(found)


def _fill(route: str, samples: dict, nul_at: int | None = None) -> str:
    parts, last = [], 0
    for index, (start, end, kind) in enumerate(_segments(route)):
        parts.append(route[last:start])
        parts.append(NUL if index == nul_at else samples.get(kind, "x"))
        last = end
    parts.append(route[last:])
    return "/" + "".join(parts).replace("^", "").replace("$", "")


def _sweep_urls(site) -> list[str]:
    samples = {
        "int": str(site["article"].pk),
        "slug": site["article"].slug,
        "str": "penulis",
        "path": str(site["article"].pk),
        "regex": "x",
    }
    query = "&".join(
        f"{name}={NUL}"
        for name in ("halaman", "komentar", "q", "topik", "status", "p", "next", "urutan")
    )
    urls = []
    for route in _routes():
        segments = _segments(route)
        for index, (_start, _end, kind) in enumerate(segments):
            if kind != "int":  # an int converter never matches a NUL
                urls.append(_fill(route, samples, nul_at=index))
        plain = _fill(route, samples)
        urls += [f"{plain}?{query}", f"{plain}?{NUL}=1"]
    return urls


def test_the_sweep_covers_every_url_pattern(site):
    urls = _sweep_urls(site)
    routes = list(_routes())

    assert len(routes) > 100  # the admin's and allauth's included
    assert "/tag/%00/" in urls and "/laporkan/akun/%00/" in urls
    assert "/admin/accounts/user/%00/password/" in urls
    assert any(url.startswith("/akun/password/reset/key/") and NUL in url for url in urls)


@pytest.mark.parametrize("who", ["anonymous", "reader", "superuser"])
def test_no_url_answers_500_for_a_nul_byte_in_a_segment_or_a_parameter(site, user, who):
    person = {"anonymous": None, "reader": user, "superuser": site["superuser"]}[who]
    client = signed_in(person, raise_request_exception=False)
    failures = []

    for url in _sweep_urls(site):
        response = client.get(url)
        if response.status_code not in REFUSED:
            failures.append(f"{url} -> {response.status_code}")

    assert failures == []


def test_a_lone_surrogate_counts_as_unstorable_text_too():
    """psycopg cannot encode one; no HTTP parser produces it today, a JSON body could."""
    request = RequestFactory().get("/")
    request.GET = QueryDict(mutable=True)
    request.GET["q"] = "\ud800"

    assert has_unstorable_text(request)
    assert not has_unstorable_text(RequestFactory().get("/", {"q": "kata biasa ²"}))
