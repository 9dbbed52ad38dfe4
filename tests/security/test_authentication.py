"""Signing in, signing up and resetting a password against a hostile internet: rate limits
kept in the shared cache, no way to learn which accounts exist, and sessions that end
when the password changes or the account is suspended."""

import re
from unittest import mock

import pytest
from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from allauth.core.internal import ratelimit
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import translation

from accounts.services import lift_suspension, suspend_account
from tests.factories import make_user

pytestmark = pytest.mark.django_db

LOGIN_URL = reverse("account_login")
SIGNUP_URL = reverse("account_signup")
RESET_URL = reverse("account_reset_password")
PASSWORD = "kata-sandi-uji"
DASHBOARD = reverse("articles:dashboard")


@pytest.fixture
def member(db):
    """An account that can sign in: its email address is confirmed."""
    person = make_user(username="pembaca", email="pembaca@example.com", password=PASSWORD)
    EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
    return person


def attempt(client, login, password, address="203.0.113.7", **headers):
    return client.post(
        LOGIN_URL, {"login": login, "password": password}, REMOTE_ADDR=address, **headers
    )


def error_text(key: str) -> str:
    with translation.override("id"):
        return str(get_adapter().error_messages[key])


def is_signed_in(client) -> bool:
    response = client.get(DASHBOARD)
    return response.status_code == 200


def refused_as_too_many(response) -> bool:
    return response.status_code == 200 and error_text("too_many_login_attempts") in (
        response.content.decode()
    )


def refused_as_wrong(response) -> bool:
    return response.status_code == 200 and error_text("username_password_mismatch") in (
        response.content.decode()
    )


# --- Rate limits ----------------------------------------------------------------------


def test_the_seventh_failed_sign_in_in_a_minute_from_one_address_is_refused(member):
    client = Client()
    # Six failures from one address, on six different names (real or not).
    for login in ("pembaca", "tetangga", "admin", "redaksi", "tamu", "siapa"):
        assert refused_as_wrong(attempt(client, login, "salah")), login

    seventh = attempt(client, "pembaca", PASSWORD)  # even the right password

    assert refused_as_too_many(seventh)
    assert not is_signed_in(client)
    # Another address is answered normally, in the same minute.
    assert attempt(Client(), "pembaca", PASSWORD, address="198.51.100.9").status_code == 302


def test_a_successful_sign_in_does_not_count_as_a_failure(member):
    for _ in range(8):
        client = Client()
        assert attempt(client, "pembaca", PASSWORD).status_code == 302
        assert is_signed_in(client)


def test_the_seventh_failure_on_one_account_is_refused_from_any_address(member):
    for number in range(6):
        assert refused_as_wrong(attempt(Client(), "pembaca", "salah", address=f"10.0.0.{number}"))

    assert refused_as_too_many(attempt(Client(), "pembaca", PASSWORD, address="10.0.1.1"))
    # Other accounts are not locked with it.
    other = make_user(username="tetangga", password=PASSWORD)
    EmailAddress.objects.create(user=other, email=other.email, verified=True, primary=True)
    assert attempt(Client(), "tetangga", PASSWORD, address="10.0.1.1").status_code == 302


def test_the_address_limit_opens_again_after_a_minute(member):
    client = Client()
    for login in ("a1", "a2", "a3", "a4", "a5", "a6"):
        attempt(client, login, "salah")
    assert refused_as_too_many(attempt(client, "pembaca", PASSWORD))

    with mock.patch.object(ratelimit.time, "time", return_value=ratelimit.time.time() + 61):
        response = attempt(client, "pembaca", PASSWORD)

    assert response.status_code == 302


def test_behind_the_load_balancer_the_client_is_the_address_it_appended(member):
    """The balancer connects from one address and appends the client's to
    X-Forwarded-For; what a client writes there itself is ignored."""
    balancer = "10.1.0.2"
    attacker = Client()
    for number in range(6):
        forged = f"192.0.2.{number}, 203.0.113.7"  # a made-up hop, then the real client
        attempt(attacker, f"nama{number}", "salah", address=balancer, HTTP_X_FORWARDED_FOR=forged)

    forged = "192.0.2.99, 203.0.113.7"
    assert refused_as_too_many(
        attempt(attacker, "pembaca", PASSWORD, address=balancer, HTTP_X_FORWARDED_FOR=forged)
    )
    # Everybody else behind the same balancer signs in as usual.
    neighbour = attempt(
        Client(), "pembaca", PASSWORD, address=balancer, HTTP_X_FORWARDED_FOR="198.51.100.9"
    )
    assert neighbour.status_code == 302


def test_the_counts_live_in_the_shared_cache(member):
    client = Client()
    for login in ("a1", "a2", "a3", "a4", "a5", "a6"):
        attempt(client, login, "salah")
    assert any(":allauth:rl:allauth.account:login_failed:" in key for key in cache_keys())
    assert refused_as_too_many(attempt(client, "pembaca", PASSWORD))

    cache.clear()  # the cache every app process reads: Redis in production

    assert attempt(client, "pembaca", PASSWORD).status_code == 302


def cache_keys() -> list[str]:
    """The keys in the default cache: the in-process one, or Redis."""
    backend = cache._cache
    if isinstance(backend, dict):  # LocMemCache
        return list(backend)
    return [key.decode() for key in backend.get_client().keys("*")]  # RedisCache


def admin_attempt(client, username, password, address="203.0.113.7"):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=address,
    )


@pytest.fixture
def staff(db):
    return make_user(username="redaksi", password=PASSWORD, is_staff=True, is_superuser=True)


def test_the_admin_sign_in_is_limited_like_the_sites(staff):
    client = Client()
    for login in ("admin", "root", "redaksi", "moderator", "staf", "editor"):
        response = admin_attempt(client, login, "salah")
        assert response.status_code == 200 and not refused_as_too_many(response), login

    seventh = admin_attempt(client, "redaksi", PASSWORD)

    assert refused_as_too_many(seventh)
    assert Client().get(reverse("admin:index")).status_code == 302
    assert admin_attempt(Client(), "redaksi", PASSWORD, address="198.51.100.9").status_code == 302


def test_failures_on_the_site_and_in_the_admin_add_up(staff):
    client = Client()
    for login in ("a1", "a2", "a3"):
        attempt(client, login, "salah")
    for login in ("b1", "b2", "b3"):
        admin_attempt(client, login, "salah")

    assert refused_as_too_many(admin_attempt(client, "redaksi", PASSWORD))
    assert refused_as_too_many(attempt(client, "redaksi", PASSWORD))


def test_the_admin_still_refuses_readers_and_lets_staff_in(staff, member):
    reader = admin_attempt(Client(), "pembaca", PASSWORD)
    client = Client()
    moderator = admin_attempt(client, "redaksi", PASSWORD)

    assert reader.status_code == 200  # "...the correct username and password for a staff account"
    assert moderator.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def signup_data(number: int) -> dict:
    return {
        "email": f"warga{number}@example.com",
        "username": f"wargabaru{number}",
        "password1": "sandi-yang-kuat-2026",
        "password2": "sandi-yang-kuat-2026",
    }


def test_the_sixth_sign_up_in_ten_minutes_from_one_address_is_refused(db):
    client = Client()
    for number in range(5):
        response = client.post(SIGNUP_URL, signup_data(number), REMOTE_ADDR="203.0.113.7")
        assert response.status_code == 302, number
        client.logout()

    sixth = Client().post(SIGNUP_URL, signup_data(5), REMOTE_ADDR="203.0.113.7")

    assert sixth.status_code == 429
    assert get_user_model().objects.filter(username__startswith="wargabaru").count() == 5
    elsewhere = Client().post(SIGNUP_URL, signup_data(6), REMOTE_ADDR="198.51.100.9")
    assert elsewhere.status_code == 302


@pytest.mark.parametrize("email", ["pembaca@example.com", "tidak-ada@example.com"])
def test_the_fourth_reset_for_one_email_in_an_hour_is_refused(member, email):
    """Nobody can flood a mailbox, and the limit is the same whether the account exists."""
    statuses = [
        Client().post(RESET_URL, {"email": email}, REMOTE_ADDR=f"10.0.0.{n}").status_code
        for n in range(4)
    ]

    assert statuses == [302, 302, 302, 429]
    assert len(mail.outbox) == 3


def test_the_sixth_reset_in_a_minute_from_one_address_is_refused(member):
    client = Client()
    statuses = [
        client.post(RESET_URL, {"email": f"orang{n}@example.com"}).status_code for n in range(6)
    ]

    assert statuses == [302] * 5 + [429]


# --- No account enumeration -----------------------------------------------------------

VOLATILE = [
    re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"'),
    re.compile(r'nonce="[^"]+"'),
]


def comparable(response, typed: str = "") -> str:
    """The page without what differs on every response (CSRF token, CSP nonce) and
    without what the visitor typed themselves."""
    text = response.content.decode()
    for pattern in VOLATILE:
        text = pattern.sub("", text)
    return text.replace(typed, "TYPED") if typed else text


@pytest.mark.parametrize(
    ("existing", "unknown"),
    [("pembaca", "pembacx"), ("pembaca@example.com", "pembacx@example.com")],
    ids=["username", "email"],
)
def test_a_failed_sign_in_looks_the_same_for_an_existing_and_an_unknown_account(
    member, existing, unknown
):
    known = attempt(Client(), existing, "salah")
    missing = attempt(Client(), unknown, "salah", address="198.51.100.9")

    assert known.status_code == missing.status_code == 200
    assert comparable(known, existing) == comparable(missing, unknown)


def test_a_suspended_account_looks_unknown_without_its_password(member):
    suspend_account(member)

    known = attempt(Client(), "pembaca", "salah")
    missing = attempt(Client(), "pembacx", "salah", address="198.51.100.9")

    assert comparable(known, "pembaca") == comparable(missing, "pembacx")


def test_a_password_reset_looks_the_same_for_an_existing_and_an_unknown_email(member):
    known_client, unknown_client = Client(), Client()

    known = known_client.post(RESET_URL, {"email": "pembaca@example.com"})
    missing = unknown_client.post(RESET_URL, {"email": "pembacx@example.com"})

    assert known.status_code == missing.status_code == 302
    assert known["Location"] == missing["Location"]
    assert comparable(known_client.get(known["Location"])) == comparable(
        unknown_client.get(missing["Location"])
    )
    # Each address gets a mail (a reset link, or "no account here"): only its owner
    # learns which.
    assert sorted(message.to[0] for message in mail.outbox) == [
        "pembaca@example.com",
        "pembacx@example.com",
    ]


def test_signing_up_with_a_taken_email_looks_like_any_sign_up(member):
    taken_client, fresh_client = Client(), Client()
    taken = taken_client.post(
        SIGNUP_URL, {**signup_data(1), "email": "pembaca@example.com", "username": "pendatang"}
    )
    fresh = fresh_client.post(
        SIGNUP_URL, {**signup_data(2), "email": "pendatang@example.com", "username": "pendatang2"}
    )

    assert taken.status_code == fresh.status_code == 302
    assert taken["Location"] == fresh["Location"]
    assert comparable(taken_client.get(taken["Location"]), "pembaca@example.com") == comparable(
        fresh_client.get(fresh["Location"]), "pendatang@example.com"
    )
    # No second account for the address; its owner is told by mail instead.
    assert not get_user_model().objects.filter(username="pendatang").exists()
    assert [message.to for message in mail.outbox] == [
        ["pembaca@example.com"],
        ["pendatang@example.com"],
    ]


# --- Sessions ---------------------------------------------------------------------------


def two_browsers(person):
    first, second = Client(), Client()
    for client in (first, second):
        assert attempt(client, person.username, PASSWORD).status_code == 302
        assert is_signed_in(client)
    return first, second


def test_a_password_change_ends_the_other_sessions_and_keeps_this_one(member):
    here, elsewhere = two_browsers(member)

    response = here.post(
        reverse("account_change_password"),
        {
            "oldpassword": PASSWORD,
            "password1": "sandi-baru-yang-kuat",
            "password2": "sandi-baru-yang-kuat",
        },
    )

    assert response.status_code == 302
    assert is_signed_in(here)
    assert not is_signed_in(elsewhere)


def test_a_password_reset_ends_every_session(member):
    first, second = two_browsers(member)
    stranger = Client()
    stranger.post(RESET_URL, {"email": "pembaca@example.com"})
    link = re.search(r"https?://[^/]+(/\S+)", mail.outbox[-1].body).group(1)

    form = stranger.get(link, follow=True)
    response = stranger.post(
        form.redirect_chain[-1][0] if form.redirect_chain else link,
        {"password1": "sandi-baru-yang-kuat", "password2": "sandi-baru-yang-kuat"},
    )

    assert response.status_code == 302
    assert not is_signed_in(first)
    assert not is_signed_in(second)


def test_a_suspension_ends_every_session_and_lifting_it_revives_none(member):
    first, second = two_browsers(member)

    suspend_account(member)

    assert not is_signed_in(first)
    assert not is_signed_in(second)
    lift_suspension(member)
    assert not is_signed_in(first)
    assert not is_signed_in(second)
    assert attempt(Client(), "pembaca", PASSWORD).status_code == 302


# --- The language of emails -------------------------------------------------------------


@pytest.mark.parametrize(
    ("prefix", "language", "words"), [("", "id", "Konfirmasi"), ("/en", "en", "Please Confirm")]
)
def test_an_account_mails_in_the_language_it_signed_up_in(db, prefix, language, words):
    client = Client()

    response = client.post(prefix + SIGNUP_URL, signup_data(1))

    assert response.status_code == 302
    account = get_user_model().objects.get(username="wargabaru1")
    assert account.language == language
    [confirmation] = mail.outbox
    assert words in confirmation.subject
    # A later mail (a password reset asked for from the other language's page) keeps it.
    mail.outbox.clear()
    other = "/en" if prefix == "" else ""
    Client().post(other + reverse("account_reset_password"), {"email": "warga1@example.com"})
    [reset] = mail.outbox
    assert ("Password Reset" in reset.subject) == (language == "en")
    assert ("Kata Sandi" in reset.subject) == (language == "id")
