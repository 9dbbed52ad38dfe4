"""Every request federation makes to another server goes through here: the SSRF
guard (public addresses only, unless FEDERATION_ALLOW_PRIVATE), a connection
pinned to the checked address (no second DNS answer), no redirects, a timeout
and a size limit on what is read (README, "Federation")."""

import http.client
import json
import socket
import ssl
from urllib.parse import urlsplit

from django.conf import settings

from api.outbound import is_public

TIMEOUT_SECONDS = 5
MAX_DOCUMENT_BYTES = 1024 * 1024
USER_AGENT = "KolomWarga-Federation/1"
ACTIVITY_JSON = "application/activity+json"
ACCEPT = f'{ACTIVITY_JSON}, application/ld+json; profile="https://www.w3.org/ns/activitystreams"'


class Refused(Exception):
    """The URL is not one we may call (private address, bad scheme, blocked)."""


class FetchFailed(Exception):
    """The server could not be reached or answered with something unusable."""


def split(url: str) -> tuple[str, str, int, str]:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise Refused(str(error)) from error
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Refused("only http(s) URLs with a host")
    if parts.username or parts.password:
        raise Refused("no credentials in URLs")
    if parts.scheme == "http" and not settings.FEDERATION_ALLOW_PRIVATE:
        raise Refused("plain http is only allowed in development")
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return (
        parts.scheme,
        parts.hostname.lower(),
        port or (443 if parts.scheme == "https" else 80),
        target,
    )


def addresses_for(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise FetchFailed(f"{host} not found") from error
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not addresses:
        raise FetchFailed(f"{host} not found")
    if not settings.FEDERATION_ALLOW_PRIVATE:
        for address in addresses:
            if not is_public(address):
                raise Refused(f"{host} points to a private or local address")
    return addresses


class _Pinned(http.client.HTTPConnection):
    def __init__(self, host, port, address, **kwargs):
        super().__init__(host, port, **kwargs)
        self.address = address

    def connect(self):
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedTLS(http.client.HTTPSConnection):
    def __init__(self, host, port, address, **kwargs):
        super().__init__(host, port, context=ssl.create_default_context(), **kwargs)
        self.address = address

    def connect(self):
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def request(
    method: str, url: str, *, headers: dict[str, str], body: bytes | None = None
) -> tuple[int, bytes]:
    """Send one request; (status, at most MAX_DOCUMENT_BYTES of the body)."""
    scheme, host, port, target = split(url)
    addresses = addresses_for(host, port)
    connection_class = _PinnedTLS if scheme == "https" else _Pinned
    headers = {"User-Agent": USER_AGENT, **headers}
    last_error: Exception | None = None
    for address in addresses:
        connection = connection_class(host, port, address, timeout=TIMEOUT_SECONDS)
        try:
            connection.request(method, target, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read(MAX_DOCUMENT_BYTES + 1)
            if len(data) > MAX_DOCUMENT_BYTES:
                raise FetchFailed("document too large")
            return response.status, data
        except (OSError, http.client.HTTPException) as error:
            last_error = error
        finally:
            connection.close()
    raise FetchFailed(f"{type(last_error).__name__}: {last_error}")


def host_header(url: str) -> str:
    parts = urlsplit(url)
    return parts.netloc.lower()


def fetch_json(url: str, *, signed_headers: dict[str, str] | None = None) -> dict:
    """GET an ActivityStreams document (signed when headers are given)."""
    status, data = request("GET", url, headers={"Accept": ACCEPT, **(signed_headers or {})})
    if status != 200:
        raise FetchFailed(f"HTTP {status}")
    try:
        document = json.loads(data)
    except ValueError as error:
        raise FetchFailed("not JSON") from error
    if not isinstance(document, dict):
        raise FetchFailed("not a JSON object")
    return document
