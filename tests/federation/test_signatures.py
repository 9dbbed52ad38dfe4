"""draft-cavage HTTP signatures: what we sign verifies, and every way a signature
can be wrong is refused."""

from datetime import timedelta
from email.utils import format_datetime

import pytest
from django.utils import timezone

from federation import signatures

pytestmark = pytest.mark.django_db

BODY = b'{"type": "Follow"}'


def _signed(private_pem, *, body=BODY, path="/ap/inbox"):
    headers = signatures.sign(
        method="POST", path=path, host="kolom.test", key_id="https://peer.example/k",
        private_pem=private_pem, body=body,
    )  # fmt: skip
    return {name.lower(): value for name, value in headers.items()}


def _verify(headers, public_pem, *, body=BODY, path="/ap/inbox"):
    parsed = signatures.parse(headers["signature"])
    signatures.verify(
        parsed, method="POST", path=path, headers=headers, body=body, public_pem=public_pem
    )
    return parsed


def test_a_signature_we_make_verifies(peer_keys):
    headers = _signed(peer_keys[0])
    parsed = _verify(headers, peer_keys[1])
    assert parsed.key_id == "https://peer.example/k"
    assert parsed.headers == ["(request-target)", "host", "date", "digest"]


def test_another_key_is_refused(peer_keys, other_keys):
    headers = _signed(other_keys[0])
    with pytest.raises(signatures.SignatureError, match="does not verify"):
        _verify(headers, peer_keys[1])


def test_a_changed_body_fails_the_digest(peer_keys):
    headers = _signed(peer_keys[0])
    with pytest.raises(signatures.SignatureError, match="Digest"):
        _verify(headers, peer_keys[1], body=b'{"type": "Delete"}')


def test_a_changed_digest_header_fails_the_signature(peer_keys):
    headers = _signed(peer_keys[0], body=b"{}")
    headers["digest"] = signatures.digest_header(BODY)
    with pytest.raises(signatures.SignatureError, match="does not verify"):
        _verify(headers, peer_keys[1])


def test_another_path_fails_the_signature(peer_keys):
    headers = _signed(peer_keys[0], path="/ap/users/devi/inbox")
    with pytest.raises(signatures.SignatureError, match="does not verify"):
        _verify(headers, peer_keys[1], path="/ap/inbox")


def test_an_old_date_is_outside_the_replay_window(peer_keys, monkeypatch):
    later = timezone.now() + timedelta(seconds=signatures.REPLAY_WINDOW_SECONDS + 30)
    headers = _signed(peer_keys[0])
    monkeypatch.setattr(signatures.timezone, "now", lambda: later)
    with pytest.raises(signatures.SignatureError, match="replay window"):
        _verify(headers, peer_keys[1])


def test_a_date_just_inside_the_window_is_accepted(peer_keys, monkeypatch):
    later = timezone.now() + timedelta(seconds=signatures.REPLAY_WINDOW_SECONDS - 30)
    headers = _signed(peer_keys[0])
    monkeypatch.setattr(signatures.timezone, "now", lambda: later)
    _verify(headers, peer_keys[1])


def test_the_same_signature_twice_is_a_replay(peer_keys):
    headers = _signed(peer_keys[0])
    signatures.remember(_verify(headers, peer_keys[1]))
    with pytest.raises(signatures.SignatureError, match="replay"):
        _verify(headers, peer_keys[1])


def test_a_signature_must_cover_the_digest_on_post(peer_keys):
    headers = _signed(peer_keys[0])
    headers["signature"] = headers["signature"].replace(
        'headers="(request-target) host date digest"', 'headers="(request-target) host date"'
    )
    with pytest.raises(signatures.SignatureError, match="digest"):
        _verify(headers, peer_keys[1])


def test_a_date_without_zone_or_missing_is_refused(peer_keys):
    headers = _signed(peer_keys[0])
    headers["date"] = format_datetime(timezone.now().replace(tzinfo=None))
    with pytest.raises(signatures.SignatureError):
        _verify(headers, peer_keys[1])
    del headers["date"]
    with pytest.raises(signatures.SignatureError):
        _verify(headers, peer_keys[1])


@pytest.mark.parametrize(
    "header", ["", 'keyId="x"', 'keyId="x",signature="%%%not base64"', "x" * 5000]
)
def test_unreadable_signature_headers_are_refused(header):
    with pytest.raises(signatures.SignatureError):
        signatures.parse(header)
