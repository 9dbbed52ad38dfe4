"""Requests the site makes to URLs that people give it (webhooks), and the guard
that keeps them off our own network (SSRF; README, "Webhooks").

A URL is refused unless it is http(s) and every address its host resolves to
is a public one: no loopback, private, link-local (the cloud metadata address
169.254.169.254), shared, multicast, reserved or unspecified address. The
request then connects to an address checked here, never resolving the name a
second time, so a name that answers differently the next time (DNS rebinding)
cannot slip past. ``DEBUG`` or ``API_WEBHOOKS_ALLOW_PRIVATE`` lets private
targets through, for development and the tests' own local server.
"""

import http.client
import ipaddress
import socket
import ssl
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

TIMEOUT_SECONDS = 5
MAX_RESPONSE_BYTES = 64 * 1024


class Refused(Exception):
    """The target is not one the site may call (the reason is in the message)."""


def _allow_private() -> bool:
    return settings.DEBUG or settings.API_WEBHOOKS_ALLOW_PRIVATE


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def _parts(url: str) -> tuple[str, str, int]:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise Refused(_("This URL cannot be used: %(reason)s.") % {"reason": error}) from error
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Refused(_("The URL must start with http:// or https:// and name a host."))
    if parts.username or parts.password:
        raise Refused(_("The URL must not carry a user name or password."))
    return parts.scheme, parts.hostname, port or (443 if parts.scheme == "https" else 80)


def resolve(url: str) -> tuple[str, str, int, list[str]]:
    """Scheme, host, port and the addresses to connect to; Refused when any
    address the host resolves to is not public (unless private ones are allowed)."""
    scheme, host, port = _parts(url)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise Refused(_("The host %(host)s could not be found.") % {"host": host}) from error
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not addresses:
        raise Refused(_("The host %(host)s could not be found.") % {"host": host})
    if not _allow_private():
        for address in addresses:
            if not is_public(address):
                raise Refused(
                    _("%(host)s points to a private or local address (%(address)s).")
                    % {"host": host, "address": address}
                )
    return scheme, host, port, addresses


def check_url(url: str) -> None:
    """Raise ValidationError (translated) for a URL webhooks may not call."""
    if len(url) > 500:
        raise ValidationError(_("The URL can be at most 500 characters."), code="url")
    try:
        resolve(url)
    except Refused as refused:
        raise ValidationError(str(refused), code="url") from refused


class _PinnedConnection(http.client.HTTPConnection):
    """An HTTP connection to an address checked beforehand, with the URL's Host."""

    def __init__(self, host, port, address, **kwargs):
        super().__init__(host, port, **kwargs)
        self.address = address

    def connect(self):
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedTLSConnection(http.client.HTTPSConnection):
    def __init__(self, host, port, address, **kwargs):
        super().__init__(host, port, context=ssl.create_default_context(), **kwargs)
        self.address = address

    def connect(self):
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def post(url: str, body: bytes, headers: dict[str, str]) -> int:
    """POST ``body`` to ``url`` (no redirects followed); the response's status.

    Raises Refused for a target the guard refuses, OSError when it cannot be reached.
    """
    scheme, host, port, addresses = resolve(url)
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connection_class = _PinnedTLSConnection if scheme == "https" else _PinnedConnection
    last_error: OSError | None = None
    for address in addresses:
        connection = connection_class(host, port, address, timeout=TIMEOUT_SECONDS)
        try:
            connection.request("POST", target, body=body, headers=headers)
            response = connection.getresponse()
            response.read(MAX_RESPONSE_BYTES)
            return response.status
        except OSError as error:
            last_error = error
        except http.client.HTTPException as error:  # a reply that is not HTTP
            last_error = OSError(f"{type(error).__name__}: {error}")
        finally:
            connection.close()
    raise last_error or OSError("no address answered")
