"""The author's own fediverse page: turn federation off, choose discoverable and
indexable, give a fediverse handle; and the retry command."""

import pytest
from django.core.management import call_command
from django.test import Client

from federation.models import AuthorChoice, Delivery

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(author):
    client = Client(HTTP_HOST="kolom.test")
    client.force_login(author)
    return client


def test_the_page_shows_the_handle_and_saves_the_choices(signed_in, author):
    page = signed_in.get("/profil/fediverse/")
    assert page.status_code == 200
    assert "@devi@kolom.test" in page.content.decode()
    response = signed_in.post(
        "/profil/fediverse/",
        {"discoverable": "on", "fediverse_handle": "devi@mastodon.example"},
    )
    assert response.status_code == 302
    choice = AuthorChoice.objects.get(user=author)
    assert (choice.federated, choice.discoverable, choice.indexable) == (False, True, False)
    assert choice.fediverse_handle == "@devi@mastodon.example"
    assert signed_in.get("/ap/users/devi").status_code == 404


@pytest.mark.parametrize("handle", ["devi", "@devi@", "devi@mastodon", "<b>@x@y.example</b>"])
def test_a_malformed_handle_is_refused_with_a_message(signed_in, author, handle):
    response = signed_in.post("/profil/fediverse/", {"federated": "on", "fediverse_handle": handle})
    assert response.status_code == 400
    assert (
        "@name@server" in response.content.decode() or "@nama@server" in response.content.decode()
    )
    assert not AuthorChoice.objects.exists()


def test_signed_out_readers_are_sent_to_sign_in():
    response = Client().get("/profil/fediverse/")
    assert response.status_code == 302 and "/akun/" in response["Location"]


def test_the_retry_command_sends_what_is_due(peer, sent, capsys):
    from federation import actors, delivery

    [item] = delivery.queue({"id": "x"}, key=actors.key_for(), inboxes=[peer.inbox])
    sent.status = 500
    delivery.attempt(item)
    Delivery.objects.update(next_attempt_at="2000-01-01T00:00:00Z")
    call_command("retry_federation")
    assert "1 deliveries attempted" in capsys.readouterr().out
    item.refresh_from_db()
    assert item.attempts == 2
