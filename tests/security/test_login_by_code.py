"""Anyone can lock an account's password sign-in (six failures from anywhere), so the
owner signs in with a code sent to their email instead; the code path has limits of
its own, and an attacker's failures stay limited."""

import re

import pytest
from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from accounts.services import suspend_account
from tests.factories import make_user

pytestmark = pytest.mark.django_db

LOGIN_URL = reverse("account_login")
REQUEST_CODE_URL = reverse("account_request_login_code")
CONFIRM_CODE_URL = reverse("account_confirm_login_code")
DASHBOARD = reverse("articles:dashboard")
PASSWORD = "kata-sandi-uji"
ATTACKERS = [f"203.0.113.{n}" for n in range(1, 7)]  # addresses A..F
OWNER_ADDRESS = "198.51.100.20"
CODE_LINE = re.compile(r"^[A-Z0-9]+(?:-[A-Z0-9]+)*$")


@pytest.fixture
def moderator(db):
    person = make_user(username="moderator", email="moderator@example.com", password=PASSWORD)
    EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
    return person


def error_text(key: str) -> str:
    with translation.override("id"):
        return str(get_adapter().error_messages[key])


def in_indonesian(text: str) -> str:
    with translation.override("id"):
        return translation.gettext(text)


def sign_in_with_password(client, login, password, address):
    return client.post(
        LOGIN_URL, {"login": login, "password": password}, REMOTE_ADDR=address, follow=True
    )


def is_signed_in(client) -> bool:
    return client.get(DASHBOARD).status_code == 200


def request_code(client, email, address=OWNER_ADDRESS):
    return client.post(REQUEST_CODE_URL, {"email": email}, REMOTE_ADDR=address)


def code_in(message) -> str:
    codes = [line.strip() for line in message.body.splitlines() if CODE_LINE.match(line.strip())]
    assert len(codes) == 1, message.body
    return codes[0]


def lock_the_password_path(moderator):
    """Six failed passwords for the account, one from each of six addresses."""
    for address in ATTACKERS:
        sign_in_with_password(Client(), moderator.username, "salah", address)


def test_six_failures_from_anywhere_lock_the_password_path_even_for_the_owner(moderator):
    lock_the_password_path(moderator)
    owner = Client()

    response = sign_in_with_password(owner, moderator.username, PASSWORD, OWNER_ADDRESS)

    assert error_text("too_many_login_attempts") in response.content.decode()
    assert not is_signed_in(owner)


def test_the_owner_of_a_locked_account_signs_in_with_an_emailed_code(moderator):
    lock_the_password_path(moderator)
    owner = Client()

    page = owner.get(LOGIN_URL).content.decode()
    requested = request_code(owner, moderator.email)
    confirm_page = owner.get(CONFIRM_CODE_URL)
    confirmed = owner.post(
        CONFIRM_CODE_URL, {"code": code_in(mail.outbox[-1])}, REMOTE_ADDR=OWNER_ADDRESS
    )

    # The sign-in page links to the code, in Indonesian.
    assert f'href="{REQUEST_CODE_URL}"' in page
    assert in_indonesian("Send me a sign-in code") in page
    assert in_indonesian("Send me a sign-in code") != "Send me a sign-in code"
    assert requested.status_code == 302 and requested.url.startswith(CONFIRM_CODE_URL)
    assert confirm_page.status_code == 200
    assert mail.outbox[-1].to == [moderator.email]
    assert confirmed.status_code == 302
    assert is_signed_in(owner)


def test_wrong_codes_are_limited_and_end_the_attempt(moderator):
    attacker = Client()
    request_code(attacker, moderator.email, address=ATTACKERS[0])
    real_code = code_in(mail.outbox[-1])

    answers = [
        attacker.post(CONFIRM_CODE_URL, {"code": "BCDF-GHJK"}, REMOTE_ADDR=ATTACKERS[0])
        for _ in range(3)
    ]
    after = attacker.post(CONFIRM_CODE_URL, {"code": real_code}, REMOTE_ADDR=ATTACKERS[0])

    assert [a.status_code for a in answers[:2]] == [200, 200]  # the form again, with an error
    assert answers[2].status_code == 302 and answers[2].url == REQUEST_CODE_URL
    # The third wrong code ended the attempt: even the right code no longer works.
    assert after.status_code == 302 and after.url == REQUEST_CODE_URL
    assert not is_signed_in(attacker)


def test_code_requests_are_limited_per_address(moderator):
    # A fresh session each time, as an attacker would (one session waits for its code).
    responses = [request_code(Client(), moderator.email, ATTACKERS[0]) for _ in range(4)]

    assert [r.status_code for r in responses[:3]] == [302, 302, 302]
    assert responses[3].status_code == 200  # the form again, refused
    assert error_text("too_many_login_attempts") in responses[3].content.decode()
    assert len(mail.outbox) == 3


def test_one_attacking_address_cannot_use_up_the_owners_codes(moderator):
    for _ in range(5):
        request_code(Client(), moderator.email, ATTACKERS[0])
    owner = Client()

    request_code(owner, moderator.email)
    owner.post(CONFIRM_CODE_URL, {"code": code_in(mail.outbox[-1])}, REMOTE_ADDR=OWNER_ADDRESS)

    assert is_signed_in(owner)


def test_a_suspended_account_cannot_sign_in_with_a_code_either(moderator):
    suspend_account(moderator)
    client = Client()

    request_code(client, moderator.email)
    response = client.post(CONFIRM_CODE_URL, {"code": code_in(mail.outbox[-1])})

    assert response.status_code == 403
    assert not is_signed_in(client)
