"""HTTP Message Signatures (RFC 9421) with Content-Digest (RFC 9530), the newer
scheme Fedify tries first (README, "Federation").

We accept a signature whose ``Signature-Input`` covers ``@method``, the target
(``@target-uri``, or ``@authority`` with ``@path`` or ``@request-target``) and, on
a POST with a body, ``content-digest``; that carries ``created`` within the
replay window (and, if it has one, an ``expires`` not passed); whose
``Content-Digest`` matches the body; made with ``rsa-v1_5-sha256`` by an RSA key
or ``ed25519`` by an Ed25519 key; and not already used inside the window. We
sign the way Fedify does: ``@method @target-uri @authority host date`` and
``content-digest`` for a body, ``alg``, ``keyid`` and ``created``.
"""

import base64
import hashlib
import re
import time
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, padding, rsa

from .signatures import REPLAY_WINDOW_SECONDS, SignatureError, http_date

RSA = "rsa-v1_5-sha256"
ED25519 = "ed25519"
_DIGESTS = {"sha-256": hashlib.sha256, "sha-512": hashlib.sha512}
_KEY = re.compile(r"[a-z*][a-z0-9_\-.*]*")
_TOKEN = re.compile(r"[A-Za-z*][A-Za-z0-9!#$%&'*+\-.^_`|~:/]*")
_INTEGER = re.compile(r"-?\d{1,15}")


@dataclass
class ParsedSignature:
    label: str
    components: list[str]
    params: dict
    params_text: str  # the inner list and its parameters, as sent: "@signature-params"
    key_id: str
    signature: bytes
    algorithm: str
    scheme: str = "rfc9421"


# Structured fields (RFC 8941), only as far as these two headers need ------------------


class _Reader:
    def __init__(self, text: str):
        self.text, self.at = text, 0

    def skip_spaces(self):
        while self.at < len(self.text) and self.text[self.at] in " \t":
            self.at += 1

    def peek(self) -> str:
        return self.text[self.at] if self.at < len(self.text) else ""

    def expect(self, char: str):
        if self.peek() != char:
            raise SignatureError(f"malformed signature field near {self.at}")
        self.at += 1

    def match(self, pattern: re.Pattern) -> str:
        found = pattern.match(self.text, self.at)
        if not found:
            raise SignatureError(f"malformed signature field near {self.at}")
        self.at = found.end()
        return found.group()

    def string(self) -> str:
        self.expect('"')
        out = []
        while True:
            char = self.peek()
            if not char:
                raise SignatureError("unterminated string in a signature field")
            self.at += 1
            if char == '"':
                return "".join(out)
            if char == "\\":
                char = self.peek()
                if char not in ('"', "\\"):
                    raise SignatureError("bad escape in a signature field")
                self.at += 1
            out.append(char)

    def bare_item(self):
        char = self.peek()
        if char == '"':
            return self.string()
        if char == ":":
            self.at += 1
            end = self.text.find(":", self.at)
            if end < 0:
                raise SignatureError("unterminated byte sequence")
            raw, self.at = self.text[self.at : end], end + 1
            try:
                return base64.b64decode(raw, validate=True)
            except ValueError as error:
                raise SignatureError("signature is not base64") from error
        if char == "?":
            self.at += 1
            return self.match(re.compile(r"[01]")) == "1"
        if char == "-" or char.isdigit():
            return int(self.match(_INTEGER))
        return self.match(_TOKEN)

    def params(self) -> dict:
        values = {}
        while self.peek() == ";":
            self.at += 1
            self.skip_spaces()
            key = self.match(_KEY)
            if self.peek() == "=":
                self.at += 1
                values[key] = self.bare_item()
            else:
                values[key] = True
        return values

    def member_value(self):
        """An item or an inner list, with its parameters; (value, params, raw text)."""
        start = self.at
        if self.peek() == "(":
            self.at += 1
            items = []
            while True:
                self.skip_spaces()
                if self.peek() == ")":
                    self.at += 1
                    break
                item = self.bare_item()
                if self.params():
                    raise SignatureError("component parameters are not supported")
                items.append(item)
                if self.peek() not in (" ", ")"):
                    raise SignatureError("malformed inner list")
            value = items
        else:
            value = self.bare_item()
        params = self.params()
        return value, params, self.text[start : self.at]


def _dictionary(text: str) -> dict[str, tuple]:
    if not text or len(text) > 8192:
        raise SignatureError("no signature")
    reader, members = _Reader(text), {}
    while True:
        reader.skip_spaces()
        key = reader.match(_KEY)
        reader.expect("=")
        members[key] = reader.member_value()
        reader.skip_spaces()
        if not reader.peek():
            return members
        reader.expect(",")


# Reading and checking ----------------------------------------------------------------


def parse(signature_input: str, signature: str) -> ParsedSignature:
    """The first signature of the request that names a key (RFC 9421 allows several)."""
    inputs, values = _dictionary(signature_input), _dictionary(signature)
    for label, (components, params, raw) in inputs.items():
        if not isinstance(components, list) or not isinstance(params.get("keyid"), str):
            continue
        value = values.get(label, (None,))[0]
        if not isinstance(value, bytes):
            raise SignatureError(f"no signature for {label!r}")
        if not all(isinstance(name, str) for name in components):
            raise SignatureError("a covered component is not a string")
        return ParsedSignature(
            label=label,
            components=components,
            params=params,
            params_text=raw,
            key_id=params["keyid"],
            signature=value,
            algorithm=str(params.get("alg") or ""),
        )
    raise SignatureError("Signature-Input without a keyid")


def content_digest(body: bytes) -> str:
    return "sha-256=:" + base64.b64encode(hashlib.sha256(body).digest()).decode() + ":"


def check_content_digest(header: str, body: bytes) -> None:
    try:
        digests = _dictionary(header)
    except SignatureError as error:
        raise SignatureError("Content-Digest missing or unreadable") from error
    known = {name: value for name, (value, _, _) in digests.items() if name in _DIGESTS}
    if not known:
        raise SignatureError("Content-Digest without sha-256 or sha-512")
    for name, value in known.items():
        if value != _DIGESTS[name](body).digest():
            raise SignatureError("Content-Digest does not match the body")


def check_freshness(params: dict, *, now: float | None = None) -> None:
    now = time.time() if now is None else now
    created = params.get("created")
    if not isinstance(created, int) or isinstance(created, bool):
        raise SignatureError("signature without created")
    if abs(now - created) > REPLAY_WINDOW_SECONDS:
        raise SignatureError("created outside the replay window")
    expires = params.get("expires")
    if expires is not None and (
        not isinstance(expires, int) or isinstance(expires, bool) or expires < now
    ):
        raise SignatureError("signature expired")


def _required(components: list[str], *, method: str, body: bytes) -> None:
    names = set(components)
    missing = []
    if "@method" not in names:
        missing.append("@method")
    if "@target-uri" not in names and not (
        "@authority" in names and names & {"@path", "@request-target"}
    ):
        missing.append("@target-uri")
    if method.upper() == "POST" and body and "content-digest" not in names:
        missing.append("content-digest")
    if missing:
        raise SignatureError(f"the signature must cover {', '.join(missing)}")


@dataclass
class Target:
    """What the request was, as the signer saw it."""

    method: str
    uri: str  # scheme://authority/path?query
    headers: dict  # lower-cased names


def _component(name: str, target: Target) -> str:
    scheme, rest = target.uri.split("://", 1)
    authority, _, path_query = rest.partition("/")
    path_query = "/" + path_query
    path, _, query = path_query.partition("?")
    derived = {
        "@method": target.method.upper(),
        "@target-uri": target.uri,
        "@authority": authority.lower(),
        "@scheme": scheme.lower(),
        "@path": path,
        "@query": "?" + query,
        "@request-target": path_query,
    }
    if name in derived:
        return derived[name]
    if name.startswith("@"):
        raise SignatureError(f"component {name!r} not supported")
    if name not in target.headers:
        raise SignatureError(f"signed header {name!r} missing")
    return " ".join(target.headers[name].split()).strip()


def signature_base(components: list[str], params_text: str, target: Target) -> bytes:
    lines = [f'"{name}": {_component(name, target)}' for name in components]
    lines.append(f'"@signature-params": {params_text}')
    return "\n".join(lines).encode()


def _verify_with(key, algorithm: str, signature: bytes, base: bytes) -> None:
    if isinstance(key, rsa.RSAPublicKey):
        if algorithm not in ("", RSA):
            raise SignatureError(f"algorithm {algorithm!r} does not fit an RSA key")
        key.verify(signature, base, padding.PKCS1v15(), hashes.SHA256())
    elif isinstance(key, ed25519.Ed25519PublicKey):
        if algorithm not in ("", ED25519):
            raise SignatureError(f"algorithm {algorithm!r} does not fit an Ed25519 key")
        key.verify(signature, base)
    else:
        raise SignatureError("key type not supported")


def verify(parsed: ParsedSignature, *, targets: list[Target], body: bytes, public_pem: str):
    """Raise SignatureError unless ``parsed`` is a fresh, complete, valid signature
    of this request (as one of ``targets``: the URI we are known by, and the one
    the request named) by ``public_pem``. Call signatures.remember after accepting."""
    from .signatures import already_used

    if parsed.algorithm not in ("", RSA, ED25519):
        raise SignatureError(f"algorithm {parsed.algorithm!r} not supported")
    method = targets[0].method
    _required(parsed.components, method=method, body=body)
    check_freshness(parsed.params)
    if "content-digest" in parsed.components:
        check_content_digest(targets[0].headers.get("content-digest", ""), body)
    try:
        key = serialization.load_pem_public_key(public_pem.encode())
    except ValueError as error:
        raise SignatureError("unreadable public key") from error
    for target in dict.fromkeys(target.uri for target in targets):
        current = next(item for item in targets if item.uri == target)
        try:
            base = signature_base(parsed.components, parsed.params_text, current)
            _verify_with(key, parsed.algorithm, parsed.signature, base)
            break
        except InvalidSignature:
            continue
    else:
        raise SignatureError("signature does not verify")
    if already_used(parsed):
        raise SignatureError("signature already used (replay)")


def sign(
    *, method: str, url: str, key_id: str, private_pem: str, body: bytes | None = None
) -> dict[str, str]:
    """The headers (Host, Date, Content-Digest for a body, Signature-Input,
    Signature) for a request signed the way Fedify signs."""
    authority = url.split("://", 1)[1].split("/", 1)[0]
    headers = {"host": authority, "date": http_date()}
    components = ["@method", "@target-uri", "@authority", "host", "date"]
    if body is not None:
        headers["content-digest"] = content_digest(body)
        components.append("content-digest")
    key = serialization.load_pem_private_key(private_pem.encode(), password=None)
    algorithm = ED25519 if isinstance(key, ed25519.Ed25519PrivateKey) else RSA
    quoted = " ".join(f'"{name}"' for name in components)
    params_text = f'({quoted});alg="{algorithm}";keyid="{key_id}";created={int(time.time())}'
    base = signature_base(components, params_text, Target(method, url, headers))
    if algorithm == ED25519:
        signed = key.sign(base)
    else:
        signed = key.sign(base, padding.PKCS1v15(), hashes.SHA256())
    headers["signature-input"] = f"sig1={params_text}"
    headers["signature"] = f"sig1=:{base64.b64encode(signed).decode()}:"
    return {name.title(): value for name, value in headers.items()}
