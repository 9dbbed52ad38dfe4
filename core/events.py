"""What happened, for the apps above that act on it (README, "Public API").

The services of the lower apps (articles, comments) call :func:`emit` after a
change the outside world may want to hear about; an app above them (``api``,
whose webhooks deliver these) registers a listener in its ``AppConfig.ready``.
So the services never import the app that listens, and the import arrows keep
pointing down. An explicit list of callables, not Django signals (STYLE.md):
``grep -rn "events.emit"`` shows every event, ``LISTENERS`` every listener.

Listeners run after the transaction commits (at once outside one), so they never
act on a change that was rolled back; one that raises is logged and the others
still run. They receive the event's name and its keyword arguments (plain keys,
never model rows: the listener reads what it needs when it runs).
"""

import logging
from collections.abc import Callable
from functools import partial

from django.db import transaction

logger = logging.getLogger(__name__)

ARTICLE_PUBLISHED = "article.published"
ARTICLE_UPDATED = "article.updated"
ARTICLE_CORRECTED = "article.corrected"
ARTICLE_UNPUBLISHED = "article.unpublished"
ARTICLE_HIDDEN = "article.hidden"
ARTICLE_RESTORED = "article.restored"
COMMENT_POSTED = "comment.posted"
COMMENT_HIDDEN = "comment.hidden"
# A person's account was removed (rights app): data ``user_id`` and ``username``
# (as it was), so that copies elsewhere (federation's Delete) can follow.
ACCOUNT_DELETED = "account.deleted"
# A person's public profile or standing changed (accounts: profile edited,
# suspended, suspension lifted; federation: its own choices): data ``user_id``,
# so that copies elsewhere (federation's Update or Delete of the Person) follow.
ACCOUNT_UPDATED = "account.updated"
# A hidden comment is shown again (comments): data ``comment_id`` and
# ``article_id``, the counterpart of comment.hidden for copies elsewhere.
COMMENT_SHOWN_AGAIN = "comment.shown_again"
# A moderator started reviewing the reports of a case (moderation): data ``case_id``;
# the rights app then invites the author to reply before a decision.
CASE_REVIEW_STARTED = "case.review_started"

EVENTS = (
    ARTICLE_PUBLISHED,
    ARTICLE_UPDATED,
    ARTICLE_CORRECTED,
    ARTICLE_UNPUBLISHED,
    ARTICLE_HIDDEN,
    ARTICLE_RESTORED,
    COMMENT_POSTED,
    COMMENT_HIDDEN,
)
# Events for the apps' own listeners only, never offered to webhooks (EVENTS is
# what a webhook may subscribe to): account.deleted names a person who asked to
# be forgotten, which only our own copies elsewhere (federation) need to hear.
INTERNAL_EVENTS = (ACCOUNT_DELETED, ACCOUNT_UPDATED, COMMENT_SHOWN_AGAIN, CASE_REVIEW_STARTED)

LISTENERS: list[Callable[..., None]] = []


def listen(listener: Callable[..., None]) -> None:
    """Have ``listener(event, **data)`` called for every event (once, however often added)."""
    if listener not in LISTENERS:
        LISTENERS.append(listener)


def emit(event: str, **data) -> None:
    """Tell every listener that ``event`` happened, once the transaction commits."""
    if event not in EVENTS and event not in INTERNAL_EVENTS:
        raise ValueError(f"unknown event {event!r}")
    for listener in LISTENERS:
        transaction.on_commit(partial(_call, listener, event, data))


def _call(listener, event: str, data: dict) -> None:
    try:
        listener(event, **data)
    except Exception:
        logger.exception("listener %r failed for %s", listener, event)
