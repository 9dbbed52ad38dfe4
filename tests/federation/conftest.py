"""A pretend remote server for the federation tests: its actor with a real key
pair, stored as if fetched, and signed posts to our inboxes."""

import json
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.utils import timezone

from federation import remote, rfc9421, signatures
from federation.models import RemoteActor
from tests.factories import make_topic, make_user

SITE = "https://kolom.test"
PEER = "https://peer.example"


@pytest.fixture(autouse=True)
def federation_settings(settings):
    settings.FEDERATION = True
    settings.SITE_URL = SITE
    settings.ALLOWED_HOSTS = ["kolom.test", "testserver", "127.0.0.1", "localhost"]


@pytest.fixture(scope="session")
def peer_keys():
    return signatures.generate_key_pair()


@pytest.fixture(scope="session")
def other_keys():
    return signatures.generate_key_pair()


def store_actor(name: str, public_pem: str, *, server: str = PEER) -> RemoteActor:
    uri = f"{server}/users/{name}"
    host = urlsplit(server).hostname
    return RemoteActor.objects.create(
        uri=uri,
        domain=host,
        handle=f"@{name}@{host}",
        name=name.title(),
        profile_url=f"{server}/@{name}",
        inbox=f"{uri}/inbox",
        shared_inbox=f"{server}/inbox",
        key_id=f"{uri}#main-key",
        public_key_pem=public_pem,
        fetched_at=timezone.now(),
    )


@pytest.fixture
def peer(db, peer_keys):
    actor = store_actor("budi", peer_keys[1])
    actor.private_pem = peer_keys[0]
    return actor


@pytest.fixture
def author(db):
    return make_user(username="devi", display_name="Devi Pertiwi", bio="Menulis soal kota.")


@pytest.fixture
def politik(db):
    return make_topic("politik", name="Politik")


class Sent(list):
    """Every request federation made, instead of the network."""

    status = 202

    def to(self, inbox):
        return [json.loads(body) for method, url, headers, body in self if url == inbox]


@pytest.fixture
def sent(monkeypatch):
    calls = Sent()

    def fake_request(method, url, *, headers, body=None):
        calls.append((method, url, headers, body))
        return calls.status, b""

    monkeypatch.setattr(remote, "request", fake_request)
    return calls


def post_activity(
    activity: dict,
    *,
    actor: RemoteActor,
    private_pem: str,
    path: str = "/ap/inbox",
    key_id: str | None = None,
    body: bytes | None = None,
    client: Client | None = None,
    extra: dict | None = None,
    send: bytes | None = None,
    scheme: str = "draft-cavage",
):
    """POST the activity to our inbox signed as ``actor`` (draft-cavage, or RFC 9421
    as Fedify signs); ``send`` replaces the body after signing."""
    body = json.dumps(activity).encode() if body is None else body
    if scheme == "rfc9421":
        headers = rfc9421.sign(
            method="POST", url=SITE + path, key_id=key_id or actor.key_id,
            private_pem=private_pem, body=body,
        )  # fmt: skip
        signed = {
            "HTTP_CONTENT_DIGEST": headers["Content-Digest"],
            "HTTP_SIGNATURE_INPUT": headers["Signature-Input"],
        }
    else:
        headers = signatures.sign(
            method="POST", path=path, host="kolom.test", key_id=key_id or actor.key_id,
            private_pem=private_pem, body=body,
        )  # fmt: skip
        signed = {"HTTP_DIGEST": headers["Digest"]}
    meta = {
        "HTTP_DATE": headers["Date"],
        "HTTP_SIGNATURE": headers["Signature"],
        **signed,
        **(extra or {}),
    }
    return (client or Client()).post(
        path,
        data=body if send is None else send,
        content_type="application/activity+json",
        HTTP_HOST="kolom.test",
        **meta,
    )
