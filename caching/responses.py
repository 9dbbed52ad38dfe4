"""What the page cache and the shared signed-in pages both keep of a response
(caching.pages, caching.readers): its headers, its content with the CSP nonce
taken out, and whether it may be stored at all."""

from django.middleware.csp import get_nonce

from . import redis

# Per response: its length is recomputed, a cookie belongs to one reader.
_SKIPPED_HEADERS = {"content-length", "set-cookie"}


def kept_headers(response) -> list[tuple[str, str]]:
    return [
        (name, value)
        for name, value in response.headers.items()
        if name.lower() not in _SKIPPED_HEADERS
    ]


def _as(content, text: str):
    return text.encode() if isinstance(content, bytes) else text


def without_nonce(request, content, placeholder):
    """The content (bytes or text) with this request's CSP nonce replaced by
    ``placeholder`` (of the same type)."""
    nonce = get_nonce(request)
    if not nonce:  # a LazyNonce is false until something used it
        return content
    return content.replace(_as(content, str(nonce)), placeholder)


def with_nonce(request, content, placeholder):
    """The content with ``placeholder`` replaced by this request's CSP nonce."""
    if placeholder not in content:
        return content
    return content.replace(placeholder, _as(content, str(get_nonce(request))))


def may_store(failures_before: int) -> bool:
    """Whether what a request built can be kept: Redis (if it is the cache) is up and
    did not fail during the request, whose tokens would then be made up."""
    return redis.health.failures == failures_before and (
        redis.client() is None or redis.is_available()
    )
