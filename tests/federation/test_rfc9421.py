"""RFC 9421 HTTP Message Signatures with RFC 9530 Content-Digest: what we sign
verifies (RSA and Ed25519), every way a signature can be wrong is refused, and
the inbox accepts a Follow signed this way (the real Fedify peer's first knock is
checked in test_peer.py)."""

import json
import time

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

from federation import rfc9421, signatures
from federation.models import RemoteFollow

from .conftest import SITE, post_activity

pytestmark = pytest.mark.django_db

BODY = b'{"type": "Follow"}'
URL = "https://kolom.test/ap/inbox"
KEY_ID = "https://peer.example/users/budi#main-key"


@pytest.fixture(scope="module")
def ed_keys():
    key = ed25519.Ed25519PrivateKey.generate()
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()  # fmt: skip
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private, public


def _signed(private_pem, *, body=BODY, url=URL):
    headers = rfc9421.sign(
        method="POST", url=url, key_id=KEY_ID, private_pem=private_pem, body=body
    )
    return {name.lower(): value for name, value in headers.items()}


def _verify(headers, public_pem, *, body=BODY, url=URL, method="POST"):
    parsed = rfc9421.parse(headers["signature-input"], headers["signature"])
    rfc9421.verify(
        parsed, targets=[rfc9421.Target(method, url, headers)], body=body, public_pem=public_pem
    )
    return parsed


def _resign(headers, private_pem, params_text, *, url=URL):
    """Sign again with other parameters (to test what the verifier demands)."""
    components = params_text[1 : params_text.index(")")].replace('"', "").split()
    base = rfc9421.signature_base(components, params_text, rfc9421.Target("POST", url, headers))
    key = serialization.load_pem_private_key(private_pem.encode(), password=None)
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding

    signed = key.sign(base, padding.PKCS1v15(), hashes.SHA256())
    import base64

    headers["signature-input"] = f"sig1={params_text}"
    headers["signature"] = f"sig1=:{base64.b64encode(signed).decode()}:"
    return headers


def test_the_signature_base_is_built_as_the_rfc_says():
    target = rfc9421.Target(
        "post", "https://Example.com/foo?param=Value&Pet=dog",
        {"date": "Tue, 20 Apr 2021 02:07:55 GMT", "content-length": " 18 "},
    )  # fmt: skip
    params = '("date" "@method" "@path" "@authority" "content-length");created=1618884473'
    base = rfc9421.signature_base(
        ["date", "@method", "@path", "@authority", "content-length"], params, target
    )
    assert base.decode() == (
        '"date": Tue, 20 Apr 2021 02:07:55 GMT\n'
        '"@method": POST\n'
        '"@path": /foo\n'
        '"@authority": example.com\n'
        '"content-length": 18\n'
        '"@signature-params": ("date" "@method" "@path" "@authority" "content-length")'
        ";created=1618884473"
    )


def test_an_rsa_signature_we_make_verifies(peer_keys):
    headers = _signed(peer_keys[0])
    parsed = _verify(headers, peer_keys[1])
    assert parsed.key_id == KEY_ID
    assert parsed.algorithm == "rsa-v1_5-sha256"
    assert parsed.components == [
        "@method", "@target-uri", "@authority", "host", "date", "content-digest"
    ]  # fmt: skip
    assert headers["content-digest"].startswith("sha-256=:")


def test_an_ed25519_signature_verifies(ed_keys):
    headers = _signed(ed_keys[0])
    assert 'alg="ed25519"' in headers["signature-input"]
    _verify(headers, ed_keys[1])


def test_an_algorithm_that_does_not_fit_the_key_is_refused(peer_keys, ed_keys):
    headers = _signed(ed_keys[0])
    with pytest.raises(signatures.SignatureError, match="does not fit an RSA key"):
        _verify(headers, peer_keys[1])


def test_another_key_is_refused(peer_keys, other_keys):
    with pytest.raises(signatures.SignatureError, match="does not verify"):
        _verify(_signed(other_keys[0]), peer_keys[1])


def test_a_changed_body_fails_the_content_digest(peer_keys):
    with pytest.raises(signatures.SignatureError, match="Content-Digest does not match"):
        _verify(_signed(peer_keys[0]), peer_keys[1], body=b'{"type": "Delete"}')


def test_a_changed_content_digest_header_fails_the_signature(peer_keys):
    headers = _signed(peer_keys[0], body=b"{}")
    headers["content-digest"] = rfc9421.content_digest(BODY)
    with pytest.raises(signatures.SignatureError, match="does not verify"):
        _verify(headers, peer_keys[1])


def test_a_sha512_content_digest_is_checked_too(peer_keys):
    import base64
    import hashlib

    headers = _signed(peer_keys[0])
    wrong = base64.b64encode(hashlib.sha512(b"other").digest()).decode()
    headers["content-digest"] += f", sha-512=:{wrong}:"
    with pytest.raises(signatures.SignatureError, match="Content-Digest does not match"):
        _verify(headers, peer_keys[1])


def test_another_target_uri_fails_the_signature(peer_keys):
    headers = _signed(peer_keys[0], url="https://other.example/ap/inbox")
    with pytest.raises(signatures.SignatureError, match="does not verify"):
        _verify(headers, peer_keys[1])


@pytest.mark.parametrize("offset", [-400, 400])
def test_created_outside_the_replay_window_is_refused(peer_keys, monkeypatch, offset):
    headers = _signed(peer_keys[0])
    now = time.time() + offset
    monkeypatch.setattr(rfc9421.time, "time", lambda: now)
    with pytest.raises(signatures.SignatureError, match="replay window"):
        _verify(headers, peer_keys[1])


def test_created_just_inside_the_window_is_accepted(peer_keys, monkeypatch):
    headers = _signed(peer_keys[0])
    now = time.time() + signatures.REPLAY_WINDOW_SECONDS - 30
    monkeypatch.setattr(rfc9421.time, "time", lambda: now)
    _verify(headers, peer_keys[1])


def test_an_expired_signature_is_refused(peer_keys):
    headers = _signed(peer_keys[0])
    created = int(time.time())
    cover = '("@method" "@target-uri" "content-digest")'
    _resign(
        headers, peer_keys[0], f'{cover};keyid="{KEY_ID}";created={created};expires={created - 1}'
    )
    with pytest.raises(signatures.SignatureError, match="expired"):
        _verify(headers, peer_keys[1])
    _resign(
        headers, peer_keys[0], f'{cover};keyid="{KEY_ID}";created={created};expires={created + 60}'
    )
    _verify(headers, peer_keys[1])


def test_a_signature_without_created_is_refused(peer_keys):
    headers = _resign(
        _signed(peer_keys[0]),
        peer_keys[0],
        f'("@method" "@target-uri" "content-digest");keyid="{KEY_ID}"',
    )
    with pytest.raises(signatures.SignatureError, match="created"):
        _verify(headers, peer_keys[1])


@pytest.mark.parametrize(
    ("cover", "missing"),
    [
        ('("@target-uri" "content-digest")', "@method"),
        ('("@method" "@authority" "content-digest")', "@target-uri"),
        ('("@method" "@target-uri")', "content-digest"),
    ],
)
def test_a_signature_must_cover_method_target_and_digest(peer_keys, cover, missing):
    created = int(time.time())
    headers = _resign(
        _signed(peer_keys[0]), peer_keys[0], f'{cover};keyid="{KEY_ID}";created={created}'
    )
    with pytest.raises(signatures.SignatureError, match=f"must cover {missing}"):
        _verify(headers, peer_keys[1])


def test_authority_and_path_stand_for_the_target_uri(peer_keys):
    created = int(time.time())
    cover = '("@method" "@authority" "@path" "content-digest")'
    headers = _resign(
        _signed(peer_keys[0]), peer_keys[0], f'{cover};keyid="{KEY_ID}";created={created}'
    )
    _verify(headers, peer_keys[1])
    with pytest.raises(signatures.SignatureError, match="does not verify"):
        _verify(headers, peer_keys[1], url="https://kolom.test/ap/users/devi/inbox")


def test_the_same_signature_twice_is_a_replay(peer_keys):
    headers = _signed(peer_keys[0])
    signatures.remember(_verify(headers, peer_keys[1]))
    with pytest.raises(signatures.SignatureError, match="replay"):
        _verify(headers, peer_keys[1])


@pytest.mark.parametrize(
    ("signature_input", "signature"),
    [
        ("", "sig1=:AAAA:"),
        ('sig1=("@method");created=1', "sig1=:AAAA:"),  # no keyid
        ('sig1=("@method");keyid="k";created=1', ""),
        ('sig1=("@method");keyid="k";created=1', "sig2=:AAAA:"),
        ('sig1=("@method";sf);keyid="k"', "sig1=:AAAA:"),
        ('sig1=("@method");keyid="k', "sig1=:AAAA:"),
        ('sig1=("@method");keyid="k"', "sig1=:%%%:"),
        ("x" * 9000, "sig1=:AAAA:"),
        ("SIG=()", "SIG=:AAAA:"),
    ],
)
def test_unreadable_signature_fields_are_refused(signature_input, signature):
    with pytest.raises(signatures.SignatureError):
        rfc9421.parse(signature_input, signature)


def test_an_unsupported_algorithm_is_refused(peer_keys):
    created = int(time.time())
    cover = '("@method" "@target-uri" "content-digest")'
    headers = _resign(
        _signed(peer_keys[0]),
        peer_keys[0],
        f'{cover};alg="hmac-sha256";keyid="{KEY_ID}";created={created}',
    )
    with pytest.raises(signatures.SignatureError, match="not supported"):
        _verify(headers, peer_keys[1])


# The inbox --------------------------------------------------------------------------


def _follow(peer):
    return {
        "id": f"{peer.uri}#follows/9421",
        "type": "Follow",
        "actor": peer.uri,
        "object": f"{SITE}/ap/users/devi",
    }


def test_the_inbox_accepts_a_follow_signed_with_rfc9421(peer, author, sent):
    response = post_activity(
        _follow(peer), actor=peer, private_pem=peer.private_pem, scheme="rfc9421"
    )
    assert response.status_code == 202
    assert RemoteFollow.objects.filter(actor=peer, user=author).exists()


def test_the_inbox_refuses_an_rfc9421_post_with_a_wrong_key(peer, author, other_keys, sent):
    response = post_activity(_follow(peer), actor=peer, private_pem=other_keys[0], scheme="rfc9421")
    assert response.status_code == 401
    assert not RemoteFollow.objects.exists()


def test_the_inbox_refuses_an_rfc9421_post_whose_body_changed(peer, author, sent):
    signed = json.dumps(_follow(peer)).encode()
    response = post_activity(
        {}, actor=peer, private_pem=peer.private_pem, body=signed,
        send=signed.replace(b"Follow", b"Block "), scheme="rfc9421",
    )  # fmt: skip
    assert response.status_code == 401
    assert not RemoteFollow.objects.exists()


def test_the_inbox_refuses_an_rfc9421_post_signed_for_another_inbox(peer, author, sent):
    response = post_activity(
        _follow(peer), actor=peer, private_pem=peer.private_pem, scheme="rfc9421",
        path="/ap/users/devi/inbox",
    )  # fmt: skip
    assert response.status_code == 202  # signed for the inbox it was posted to
    RemoteFollow.objects.all().delete()
    headers = rfc9421.sign(
        method="POST", url=f"{SITE}/ap/inbox", key_id=peer.key_id,
        private_pem=peer.private_pem, body=json.dumps(_follow(peer)).encode(),
    )  # fmt: skip
    from django.test import Client

    response = Client().post(
        "/ap/users/devi/inbox",
        data=json.dumps(_follow(peer)).encode(),
        content_type="application/activity+json",
        HTTP_HOST="kolom.test",
        HTTP_DATE=headers["Date"],
        HTTP_CONTENT_DIGEST=headers["Content-Digest"],
        HTTP_SIGNATURE_INPUT=headers["Signature-Input"],
        HTTP_SIGNATURE=headers["Signature"],
    )
    assert response.status_code == 401
    assert not RemoteFollow.objects.exists()
