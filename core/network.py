"""Who is on the other end of a request: the one definition of a client's address.

Behind reverse proxies (the load balancer README recommends, nginx, a CDN) every
request arrives from the nearest proxy, so ``REMOTE_ADDR`` is the proxy's address
for everyone. Each proxy appends the address it saw connect to it to
``X-Forwarded-For``; anything to the left of what our own proxies appended was
written by the client and proves nothing. See SECURITY.md, "Client addresses".
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The client's IP address, normalised (``2001:DB8::0:1`` gives ``2001:db8::1``).

    With ``settings.TRUSTED_PROXY_COUNT`` = N:

    - N = 0 (a laptop, or the app facing the internet): ``REMOTE_ADDR``, and
      ``X-Forwarded-For`` is ignored entirely, whatever it says.
    - N > 0: the N-th entry from the right of ``X-Forwarded-For``, the address
      the outermost of our N proxies saw (``a, b, c`` with N = 1 gives ``c``,
      with N = 2 gives ``b``).

    When the header cannot give that answer it falls back towards the proxies,
    never further left: if it has fewer than N entries, or the N-th entry from
    the right is not an IP address, the answer is the right-most valid address
    among the last N entries (those our own proxies wrote), and ``REMOTE_ADDR``
    when there is none. Moving left would hand the answer to the client, who
    writes whatever it likes at the start of the header; falling back to a
    proxy's address can only lump clients together (stricter limits, fewer
    views), never let one client pass for many.

    Returns "" when not even ``REMOTE_ADDR`` is an address (a Unix socket
    without a trusted proxy in front).
    """
    remote = _parse(request.META.get("REMOTE_ADDR", "")) or ""
    trusted_count = settings.TRUSTED_PROXY_COUNT
    if trusted_count <= 0:
        return remote
    # Several X-Forwarded-For lines arrive joined by commas (WSGI servers join
    # repeated headers), which is the same list.
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    entries = [entry.strip() for entry in header.split(",")] if header.strip() else []
    ours = entries[-trusted_count:]
    if len(entries) >= trusted_count:
        client = _parse(ours[0])
        if client:
            return client
    for entry in reversed(ours):
        address = _parse(entry)
        if address:
            return address
    return remote


def _parse(value: str) -> str | None:
    """The address in one entry, normalised, or None.

    Accepts what proxies write: ``203.0.113.7``, ``2001:db8::1``, ``[2001:db8::1]``,
    and with a port ``203.0.113.7:51234`` or ``[2001:db8::1]:51234`` (some balancers
    append the client's port). An IPv4 address written as IPv6 (``::ffff:203.0.113.7``,
    from a dual-stack socket) is the IPv4 address, so it is one client either way.
    """
    value = value.strip()
    if len(value) > 64:  # longer than any address with a port
        return None
    if value.startswith("["):
        host, bracket, rest = value[1:].partition("]")
        if not bracket or (rest and not _is_port(rest)):
            return None
        value = host
    elif value.count(":") == 1:  # IPv4 with a port; IPv6 has two colons or more
        value, _, port = value.partition(":")
        if not _is_port(":" + port):
            return None
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return str(address)


def _is_port(text: str) -> bool:
    digits = text.removeprefix(":")
    return text.startswith(":") and digits.isascii() and digits.isdigit() and len(digits) <= 5
