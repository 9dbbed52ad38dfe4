"""Links made without running ``reverse()`` for each one.

A page of comments or cards links to the same few views with a different key
each time, and ``reverse()`` costs more than the rest of a link's rendering
(README, "Cold pages"). A link to a view that takes one primary key is
reversed once per view, script prefix and language with a stand-in key, and
the real key put in its place; any other link is remembered whole, a bounded
number of them.
"""

from functools import lru_cache

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

# Never a key a table holds, and written the same in any URL.
_STAND_IN = 987654321987654321


@lru_cache(maxsize=512)
def _around_key(name: str, key_name: str, prefix: str, language: str | None, urlconf) -> tuple:
    url = reverse(name, kwargs={key_name: _STAND_IN})
    before, _, after = url.partition(str(_STAND_IN))
    return before, after


def pk_url(name: str, pk: int, *, key_name: str = "pk") -> str:
    """``reverse(name, kwargs={key_name: pk})`` for a view whose one argument is an int."""
    before, after = _around_key(name, key_name, get_script_prefix(), get_language(), get_urlconf())
    return f"{before}{int(pk)}{after}"


@lru_cache(maxsize=4096)
def _remembered(name: str, kwargs: tuple, prefix: str, language: str | None, urlconf) -> str:
    return reverse(name, kwargs=dict(kwargs))


def url(name: str, **kwargs) -> str:
    """``reverse(name, kwargs=kwargs)``, remembered (a bounded number of links)."""
    return _remembered(
        name, tuple(sorted(kwargs.items())), get_script_prefix(), get_language(), get_urlconf()
    )
