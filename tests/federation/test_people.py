"""An author's Person as their profile and standing change: an edited profile
sends Update{Person}; federation turned off or a suspension sends Delete{Person}
through the worker, ends the remote follows and the actor answers 410 Gone;
turned back on (or the suspension lifted) it answers and can be followed again."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accounts import services as account_services
from federation import actors
from federation.models import Delivery, LocalKey, RemoteFollow
from federation.services import save_author_choice
from tests.factories import make_user

from .conftest import PEER, post_activity, store_actor

pytestmark = pytest.mark.django_db

DEVI = "https://kolom.test/ap/users/devi"
AS_JSON = "application/activity+json"


@pytest.fixture
def followed(author, peer, other_keys):
    """Devi is an actor (her key exists) followed from two servers."""
    actors.key_for(user=author)
    eko = store_actor("eko", other_keys[1], server="https://far.example")
    citra = store_actor("citra", other_keys[1])  # peer.example again: one shared inbox
    for actor in (peer, eko, citra):
        RemoteFollow.objects.create(actor=actor, user=author, activity_uri=f"{actor.uri}#f")
    return peer, eko


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    def go(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return go


def _profile(user, **changes):
    data = {name: getattr(user, name) for name in ("display_name", "occupation", "tagline", "bio")}
    return {**data, **changes}


def _actor(client=None):
    return (client or Client()).get("/ap/users/devi", HTTP_ACCEPT=AS_JSON, HTTP_HOST="kolom.test")


def test_editing_the_profile_sends_update_person_once_per_server(followed, author, sent, run):
    run(account_services.update_profile, author, data=_profile(author, display_name="Devi P."))
    assert sorted(url for _, url, _, _ in sent) == ["https://far.example/inbox", f"{PEER}/inbox"]
    update = json.loads(sent[0][3])
    assert update["type"] == "Update" and update["actor"] == DEVI
    assert update["object"]["type"] == "Person" and update["object"]["id"] == DEVI
    assert update["object"]["name"] == "Devi P."
    assert "@context" not in update["object"]


def test_a_new_avatar_is_in_the_update(followed, author, sent, run):
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (300, 300), "teal").save(buffer, "PNG")
    upload = SimpleUploadedFile("foto.png", buffer.getvalue(), content_type="image/png")
    run(account_services.update_profile, author, data=_profile(author), avatar_upload=upload)
    update = json.loads(sent[0][3])
    assert update["object"]["icon"]["url"].startswith("https://kolom.test/")


def test_a_profile_save_that_changes_nothing_sends_nothing(followed, author, sent, run):
    run(account_services.update_profile, author, data=_profile(author))
    assert sent == []


def test_turning_federation_off_deletes_the_person_and_on_brings_it_back(
    followed, author, peer, sent, run
):
    run(save_author_choice, author, federated=False)
    assert sorted(url for _, url, _, _ in sent) == ["https://far.example/inbox", f"{PEER}/inbox"]
    delete = json.loads(sent[0][3])
    assert delete == {**delete, "type": "Delete", "actor": DEVI, "object": DEVI}
    assert not RemoteFollow.objects.filter(user=author).exists()
    response = _actor()
    assert response.status_code == 410
    assert json.loads(response.content)["type"] == "Tombstone"
    webfinger = Client().get(
        "/.well-known/webfinger?resource=acct:devi@kolom.test", HTTP_HOST="kolom.test"
    )
    assert webfinger.status_code == 404
    # Turning it off again is not a second Delete.
    sent.clear()
    run(save_author_choice, author, federated=False)
    assert sent == []

    run(save_author_choice, author, federated=True)
    assert sent == []  # nobody follows any more: nothing to tell
    assert _actor().status_code == 200
    assert not LocalKey.objects.get(user=author).gone_at
    follow = {"id": f"{peer.uri}#follows/2", "type": "Follow", "actor": peer.uri, "object": DEVI}
    with_commit = post_activity(follow, actor=peer, private_pem=peer.private_pem)
    assert with_commit.status_code == 202
    assert RemoteFollow.objects.filter(user=author, actor=peer).exists()


def test_suspension_deletes_the_person_and_lifting_it_brings_it_back(followed, author, sent, run):
    run(account_services.suspend_account, author)
    assert {json.loads(body)["type"] for *_, body in sent} == {"Delete"}
    assert _actor().status_code == 410
    sent.clear()
    run(account_services.lift_suspension, author)
    assert _actor().status_code == 200
    assert sent == []


def test_an_author_who_was_never_an_actor_is_just_404(author, sent, run):
    run(save_author_choice, author, federated=False)
    assert sent == [] and not Delivery.objects.exists()
    assert _actor().status_code == 404
    assert Client().get("/ap/users/nobody", HTTP_ACCEPT=AS_JSON).status_code == 404


def test_a_failed_delete_is_retried_by_the_worker(followed, author, sent, run):
    sent.status = 503
    run(save_author_choice, author, federated=False)
    deliveries = Delivery.objects.filter(activity__type="Delete")
    assert deliveries.count() == 2
    assert {(item.status, item.attempts) for item in deliveries} == {("pending", 1)}
    assert all(item.next_attempt_at for item in deliveries)


def test_a_remote_stand_in_account_is_never_an_actor(peer, sent, run):
    from federation.remote_actors import stand_in_user

    user = stand_in_user(peer)
    run(account_services.suspend_account, user)
    assert sent == []
    other = make_user(username="biasa")
    run(account_services.update_profile, other, data=_profile(other, bio="Baru"))
    assert sent == []  # never an actor (no key): nothing to tell


def test_a_deleted_account_deletes_its_actor_under_its_old_name_for_good(
    followed, author, sent, run
):
    from datetime import timedelta

    from rights import services as rights_services

    author.set_password("kata-sandi-uji")
    author.save()
    deletion = rights_services.request_deletion(author, password="kata-sandi-uji", writing="keep")
    later = deletion.due_at + timedelta(seconds=1)
    assert run(rights_services.remove_due_accounts, now=later) == 1
    deletes = [json.loads(body) for *_, body in sent]
    assert {item["type"] for item in deletes} == {"Delete"} and len(deletes) == 2
    assert deletes[0]["actor"] == deletes[0]["object"] == DEVI
    # Signed as the actor the other servers knew, not the anonymised row's name.
    assert all(
        f'keyid="{DEVI}#main-key"' in headers["Signature-Input"] for _, _, headers, _ in sent
    )
    assert not RemoteFollow.objects.exists()
    author.refresh_from_db()
    assert not actors.is_federated(author)
    assert Client().get(f"/ap/users/{author.username}", HTTP_ACCEPT=AS_JSON).status_code == 410


def test_a_suspension_that_ran_out_and_a_second_one_tells_the_new_followers(
    followed, author, peer, sent, run
):
    from datetime import timedelta

    from django.utils import timezone

    run(account_services.suspend_account, author, until=timezone.now() + timedelta(days=1))
    assert _actor().status_code == 410
    # The day passes (no event): the actor is back, and someone follows again.
    type(author).objects.filter(pk=author.pk).update(
        suspended_until=timezone.now() - timedelta(seconds=1)
    )
    assert _actor().status_code == 200
    follow = {"id": f"{peer.uri}#follows/3", "type": "Follow", "actor": peer.uri, "object": DEVI}
    assert post_activity(follow, actor=peer, private_pem=peer.private_pem).status_code == 202
    assert LocalKey.objects.get(user=author).gone_at is None
    sent.clear()
    author.refresh_from_db()
    run(account_services.suspend_account, author)
    assert [(url, json.loads(body)["type"]) for _, url, _, body in sent] == [
        (f"{PEER}/inbox", "Delete")
    ]
