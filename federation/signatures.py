"""HTTP signatures, draft-cavage-http-signatures-12 with ``rsa-sha256``, the
scheme Mastodon and most of the fediverse sign with (README, "Federation").

We sign ``(request-target) host date digest`` on POST and ``(request-target)
host date`` on GET. We accept a signature only when it covers
``(request-target)``, ``host`` and ``date`` (and ``digest`` on a POST with a
body), its ``Date`` is within the replay window, the ``Digest`` matches the
body, and the same signature was not already used inside that window. Keys
are RSA (``cryptography``). RFC 9421 signatures are read in ``rfc9421.py``.
"""

import base64
import hashlib
import re
from dataclasses import dataclass
from email.utils import formatdate, parsedate_to_datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from django.core.cache import cache
from django.utils import timezone

REPLAY_WINDOW_SECONDS = 300
KEY_BITS = 2048
_PARAM = re.compile(r'(\w+)="([^"]*)"')


class SignatureError(Exception):
    """The request is not signed the way we accept (the reason is in the message)."""


def generate_key_pair() -> tuple[str, str]:
    """A new RSA key pair as (private PEM, public PEM)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private, public


def digest_header(body: bytes) -> str:
    return "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode()


def http_date(timestamp: float | None = None) -> str:
    return formatdate(timestamp, usegmt=True)


def _signing_string(names: list[str], method: str, path: str, headers: dict[str, str]) -> str:
    lines = []
    for name in names:
        if name == "(request-target)":
            lines.append(f"(request-target): {method.lower()} {path}")
        else:
            if name not in headers:
                raise SignatureError(f"signed header {name!r} missing")
            lines.append(f"{name}: {headers[name]}")
    return "\n".join(lines)


def sign(
    *, method: str, path: str, host: str, key_id: str, private_pem: str, body: bytes | None = None
) -> dict[str, str]:
    """The headers (Host, Date, Digest for a body, Signature) for a signed request."""
    headers = {"host": host, "date": http_date()}
    names = ["(request-target)", "host", "date"]
    if body is not None:
        headers["digest"] = digest_header(body)
        names.append("digest")
    key = serialization.load_pem_private_key(private_pem.encode(), password=None)
    signed = key.sign(
        _signing_string(names, method, path, headers).encode(),
        padding.PKCS1v15(),
        hashes.SHA256(),
    )
    headers["signature"] = (
        f'keyId="{key_id}",algorithm="rsa-sha256",headers="{" ".join(names)}",'
        f'signature="{base64.b64encode(signed).decode()}"'
    )
    return {name.title(): value for name, value in headers.items()}


@dataclass
class ParsedSignature:
    key_id: str
    headers: list[str]
    signature: bytes
    algorithm: str
    scheme: str = "draft-cavage"


def parse(header: str) -> ParsedSignature:
    if not header or len(header) > 4096:
        raise SignatureError("no Signature header")
    params = dict(_PARAM.findall(header))
    if "keyId" not in params or "signature" not in params:
        raise SignatureError("Signature header without keyId or signature")
    try:
        signature = base64.b64decode(params["signature"], validate=True)
    except ValueError as error:
        raise SignatureError("signature is not base64") from error
    return ParsedSignature(
        key_id=params["keyId"],
        headers=params.get("headers", "date").lower().split(),
        signature=signature,
        algorithm=params.get("algorithm", "hs2019").lower(),
    )


def request_headers(request) -> dict[str, str]:
    """The request's headers, lower-cased, as the signature names them."""
    return {name.lower(): value for name, value in request.headers.items()}


def check_freshness(headers: dict[str, str]) -> None:
    try:
        sent = parsedate_to_datetime(headers.get("date", ""))
    except (TypeError, ValueError) as error:
        raise SignatureError("Date header missing or unreadable") from error
    if sent.tzinfo is None:
        raise SignatureError("Date header without a time zone")
    if abs((timezone.now() - sent).total_seconds()) > REPLAY_WINDOW_SECONDS:
        raise SignatureError("Date outside the replay window")


def verify(
    parsed: ParsedSignature, *, method: str, path: str, headers: dict, body: bytes, public_pem: str
) -> None:
    """Raise SignatureError unless ``parsed`` is a fresh, complete, valid signature
    of this request by ``public_pem``. Call :func:`remember` after accepting it."""
    if parsed.algorithm not in ("rsa-sha256", "hs2019"):
        raise SignatureError(f"algorithm {parsed.algorithm!r} not supported")
    required = {"(request-target)", "host", "date"}
    if method.upper() == "POST":
        required.add("digest")
    missing = required - set(parsed.headers)
    if missing:
        raise SignatureError(f"the signature must cover {', '.join(sorted(missing))}")
    check_freshness(headers)
    if "digest" in parsed.headers:
        digests = [part.strip() for part in headers.get("digest", "").split(",")]
        if digest_header(body) not in digests:
            raise SignatureError("Digest does not match the body")
    try:
        key = serialization.load_pem_public_key(public_pem.encode())
        if not isinstance(key, rsa.RSAPublicKey):
            raise SignatureError("not an RSA key")
        key.verify(
            parsed.signature,
            _signing_string(parsed.headers, method, path, headers).encode(),
            padding.PKCS1v15(),
            hashes.SHA256(),
        )
    except InvalidSignature as error:
        raise SignatureError("signature does not verify") from error
    except ValueError as error:
        raise SignatureError("unreadable public key") from error
    if already_used(parsed):
        raise SignatureError("signature already used (replay)")


def already_used(parsed) -> bool:
    """Whether this exact signature (of either scheme) was accepted inside the window."""
    return bool(cache.get(_seen_key(parsed)))


def _seen_key(parsed) -> str:
    return "federation:seen:" + hashlib.sha256(parsed.signature).hexdigest()[:40]


def remember(parsed) -> None:
    """Refuse this exact signature again for the rest of the replay window."""
    cache.set(_seen_key(parsed), 1, timeout=2 * REPLAY_WINDOW_SECONDS)
