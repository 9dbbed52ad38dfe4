"""The client's address behind proxies (core.network.client_address), for view
counting and allauth's rate limits alike."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from accounts.adapter import AccountAdapter
from articles.services import flush_view_counts
from core.network import client_address
from tests.factories import BROWSER, make_article

BALANCER = "10.1.0.2"


def request_from(remote="10.1.0.2", forwarded=None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


def address(settings, proxies, remote="10.1.0.2", forwarded=None):
    settings.TRUSTED_PROXY_COUNT = proxies
    return client_address(request_from(remote, forwarded))


# Unit cases -------------------------------------------------------------------


def test_without_proxies_the_client_is_the_connecting_address(settings):
    assert address(settings, 0, remote="203.0.113.7") == "203.0.113.7"


def test_without_proxies_x_forwarded_for_is_ignored_entirely(settings):
    assert address(settings, 0, remote="203.0.113.7", forwarded="1.2.3.4") == "203.0.113.7"
    assert address(settings, 0, remote="203.0.113.7", forwarded="junk") == "203.0.113.7"


def test_behind_one_proxy_the_client_is_the_address_it_appended(settings):
    assert address(settings, 1, forwarded="203.0.113.7") == "203.0.113.7"


def test_behind_one_proxy_what_the_client_wrote_itself_is_ignored(settings):
    assert address(settings, 1, forwarded="1.2.3.4, 203.0.113.7") == "203.0.113.7"
    assert address(settings, 1, forwarded="1.2.3.4,5.6.7.8 ,203.0.113.7") == "203.0.113.7"


def test_behind_two_proxies_the_client_is_second_from_the_right(settings):
    # The outer proxy appended the client, the inner one the outer proxy.
    assert address(settings, 2, forwarded="1.2.3.4, 203.0.113.7, 10.0.0.5") == "203.0.113.7"
    assert address(settings, 2, forwarded="203.0.113.7, 10.0.0.5") == "203.0.113.7"


def test_repeated_header_lines_count_as_one_list(settings):
    # WSGI servers join repeated X-Forwarded-For lines with commas.
    assert address(settings, 1, forwarded="1.2.3.4,203.0.113.7") == "203.0.113.7"


def test_no_header_behind_a_proxy_gives_the_connecting_address(settings):
    assert address(settings, 1, remote="203.0.113.9") == "203.0.113.9"
    assert address(settings, 1, remote="203.0.113.9", forwarded="") == "203.0.113.9"
    assert address(settings, 1, remote="203.0.113.9", forwarded=" , ") == "203.0.113.9"


def test_a_short_header_gives_the_right_most_entry_never_the_left_most(settings):
    # Three proxies are trusted but only two entries came: the left one may be
    # the client's own invention, the right one was written by our nearest proxy.
    assert address(settings, 3, forwarded="1.2.3.4, 203.0.113.7") == "203.0.113.7"
    assert address(settings, 2, forwarded="203.0.113.7") == "203.0.113.7"


def test_a_malformed_entry_falls_back_towards_the_proxies(settings):
    assert address(settings, 2, forwarded="junk, 10.0.0.5") == "10.0.0.5"
    assert address(settings, 1, remote="10.1.0.2", forwarded="1.2.3.4, junk") == "10.1.0.2"
    assert address(settings, 1, remote="10.1.0.2", forwarded="1.2.3.4, unknown") == "10.1.0.2"


@pytest.mark.parametrize(
    "junk",
    [
        "not-an-address",
        "203.0.113.256",
        "203.0.113",
        "<script>",
        "203.0.113.7\x00",
        "203.0.113.7:port",
        "203.0.113.7:123456",
        "[2001:db8::1",
        "[2001:db8::1]x",
        "2001:db8::1::2",
        "\u0661\u0662\u0663.0.113.7",  # Arabic-Indic digits
        "9" * 5000,
    ],
)
def test_junk_is_never_an_address(settings, junk):
    assert address(settings, 1, remote="10.1.0.2", forwarded=f"1.2.3.4, {junk}") == "10.1.0.2"


def test_ipv6_addresses_are_normalised(settings):
    assert address(settings, 1, forwarded="2001:DB8:0:0::1") == "2001:db8::1"
    assert address(settings, 0, remote="2001:DB8:0:0::1") == "2001:db8::1"
    assert address(settings, 2, forwarded="2001:db8::7, 2001:db8::5") == "2001:db8::7"


def test_an_ipv4_address_written_as_ipv6_is_the_same_client(settings):
    assert address(settings, 1, forwarded="::ffff:203.0.113.7") == "203.0.113.7"


def test_ports_and_brackets_that_balancers_write_are_understood(settings):
    assert address(settings, 1, forwarded="203.0.113.7:51234") == "203.0.113.7"
    assert address(settings, 1, forwarded="[2001:db8::1]") == "2001:db8::1"
    assert address(settings, 1, forwarded="[2001:db8::1]:51234") == "2001:db8::1"


def test_a_missing_connecting_address_gives_an_empty_answer(settings):
    assert address(settings, 0, remote="") == ""
    assert address(settings, 1, remote="", forwarded="junk") == ""


def test_allauth_asks_the_same_function(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    request = request_from(forwarded="1.2.3.4, 203.0.113.7, 10.0.0.5")

    assert AccountAdapter(request).get_client_ip(request) == "203.0.113.7"


# Over HTTP --------------------------------------------------------------------


def views_of(article):
    flush_view_counts()
    article.refresh_from_db()
    return article.view_count


@pytest.mark.django_db
def test_readers_behind_one_proxy_with_the_same_browser_count_once_each(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    article = make_article()
    for number in range(1, 6):
        for _ in range(2):  # a reload counts once
            Client(
                headers={"user-agent": BROWSER, "x-forwarded-for": f"203.0.113.{number}"},
                REMOTE_ADDR=BALANCER,
            ).get(article.get_absolute_url())

    assert views_of(article) == 5


@pytest.mark.django_db
def test_without_trusted_proxies_a_forged_header_cannot_make_one_reader_count_twice(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    article = make_article()
    for number in range(1, 6):
        Client(
            headers={"user-agent": BROWSER, "x-forwarded-for": f"198.51.100.{number}"},
            REMOTE_ADDR="203.0.113.7",
        ).get(article.get_absolute_url())

    assert views_of(article) == 1


@pytest.mark.django_db
def test_behind_one_proxy_a_forged_left_part_cannot_make_one_reader_count_twice(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    article = make_article()
    for number in range(1, 6):
        Client(
            headers={"user-agent": BROWSER, "x-forwarded-for": f"198.51.100.{number}, 203.0.113.7"},
            REMOTE_ADDR=BALANCER,
        ).get(article.get_absolute_url())

    assert views_of(article) == 1


def sign_up(number, forwarded):
    data = {
        "email": f"warga{number}@example.com",
        "username": f"warga{number}",
        "password1": "kata-sandi-yang-panjang-1",
        "password2": "kata-sandi-yang-panjang-1",
    }
    return Client().post(
        reverse("account_signup"), data, REMOTE_ADDR=BALANCER, HTTP_X_FORWARDED_FOR=forwarded
    )


@pytest.mark.django_db
def test_sign_up_limits_key_on_the_client_behind_two_proxies(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    for number in range(5):
        forged = f"192.0.2.{number}, 203.0.113.7, 10.0.0.5"
        assert sign_up(number, forged).status_code == 302

    assert sign_up(5, "192.0.2.99, 203.0.113.7, 10.0.0.5").status_code == 429
    assert sign_up(6, "198.51.100.9, 10.0.0.5").status_code == 302


@pytest.mark.django_db
def test_a_header_shorter_than_the_proxy_count_is_no_server_error(settings):
    # allauth's own reading raises ImproperlyConfigured here (a 500 for everyone).
    settings.TRUSTED_PROXY_COUNT = settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2

    assert sign_up(1, "203.0.113.7").status_code == 302
