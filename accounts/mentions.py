"""@username mentions in comments and articles (README, "Mentions").

A mention links to the person's profile when it names an active account, and
tells that person once (notifications.services.notify_mentions). Links are
added to HTML the sanitiser has already cleaned; nothing here reads markup the
writer typed.
"""

import re

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

# Not after a letter, digit or "@" (an email address), nor inside a path or host.
MENTION = re.compile(r"(?<![\w@/.\-])@([A-Za-z0-9_](?:[A-Za-z0-9_.\-]{0,148}[A-Za-z0-9_])?)")
# The most names looked up in one text: a list of fifty handles costs one query
# and links only these; who is told is capped lower (notify_mentions).
SCAN_LIMIT = 30
_TAG = re.compile(r"(<[^>]*>)")
_OPENING = re.compile(r"<(a|code|pre)\b", re.I)
_CLOSING = re.compile(r"</(a|code|pre)\s*>", re.I)


def mentioned_names(text: str) -> list[str]:
    """The names written as @name, in order, each once, at most SCAN_LIMIT."""
    names = dict.fromkeys(match.group(1) for match in MENTION.finditer(text or ""))
    return list(names)[:SCAN_LIMIT]


def _accounts(names: list[str]) -> dict[str, tuple[int, str]]:
    """name as written -> (pk, username) for the active accounts named (one query)."""
    if not names:
        return {}
    found = get_user_model().objects.filter(username__in=names, is_active=True)
    return {username: (pk, username) for pk, username in found.values_list("pk", "username")}


def mentioned_user_ids(text: str) -> list[int]:
    """The active accounts a plain text names, in the order first named."""
    names = mentioned_names(text)
    accounts = _accounts(names)
    return [accounts[name][0] for name in names if name in accounts]


def _profile_url(username: str) -> str:
    # Stored in the HTML: the unprefixed (default-language) address, whatever
    # language the writer used the site in.
    with translation.override(settings.LANGUAGE_CODE):
        return reverse("articles:author", kwargs={"username": username})


def link(html: str) -> str:
    """Sanitised HTML with every @name of an active account made a link to its
    profile; text inside links, code and preformatted blocks is left alone."""
    if "@" not in (html or ""):
        return html
    parts = _TAG.split(html)
    accounts = _accounts(mentioned_names(" ".join(parts[0::2])))
    if not accounts:
        return html
    depth = 0

    def replace(match) -> str:
        account = accounts.get(match.group(1))
        if account is None:
            return match.group(0)
        url = escape(_profile_url(account[1]))
        return f'<a href="{url}" class="mention">@{escape(account[1])}</a>'

    for index, part in enumerate(parts):
        if index % 2:  # a tag
            if _OPENING.match(part):
                depth += 1
            elif _CLOSING.match(part):
                depth = max(depth - 1, 0)
        elif depth == 0 and "@" in part:
            parts[index] = MENTION.sub(replace, part)
    return "".join(parts)
