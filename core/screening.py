"""Who may look at a post before it becomes public (README, "Trust and spam").

The services of the lower apps (``articles.services.publish_article``,
``comments.services.post_comment``) call :func:`screen` just before a post
would become public; an app above them (``trust``) registers a screener in its
``AppConfig.ready``. So the services never import the app that screens, and the
import arrows keep pointing down, as with ``core.events``.

A screener receives a :class:`Submission` (plain values, and the author) and
returns ``None`` to let it through or a :class:`Hold` naming the rule. The first
hold wins; a screener that raises is logged and treated as letting it through
(an outage of the spam rules never stops the site from publishing).

A screener may also raise :class:`Refused` for a limit the writer must hear
about at once (a first-day cap): the service then changes nothing and the view
shows the translated message.
"""

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core import signing
from django.core.exceptions import ValidationError

logger = logging.getLogger(__name__)

ARTICLE = "article"
COMMENT = "comment"


@dataclass(frozen=True)
class Submission:
    kind: str  # ARTICLE or COMMENT
    author: object  # the user model instance
    title: str
    text: str  # the writer's text, plain (HTML stripped for articles)
    html: str  # the sanitised HTML (links are read from it)
    object_id: int | None = None
    # Form signals, when the post came through a form: seconds between the form
    # being shown and sent, and whether the hidden honeypot field was filled.
    form_seconds: float | None = None
    honeypot_filled: bool = False
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Hold:
    rule: str  # a short machine name, e.g. "probation", "word_list"
    detail: str = ""  # what fired: the words, the host, the count
    score: float | None = None  # the classifier's spam probability, when it ran
    features: str = ""  # the words that weighed most in that score


class Refused(ValidationError):
    """A limit the writer hears about at once; nothing was changed. A
    ValidationError, so every caller that shows one shows this too."""

    def __init__(self, message: str):
        super().__init__(message, code="refused")


LIMITERS: list[Callable[..., None]] = []


def limit(action: str, user, *, done) -> None:
    """Ask the limiters whether ``user`` may do ``action`` once more ("follow",
    "report"); ``done`` is a callable counting how often they did it already (the
    caller's own rows; called only when a limiter needs it). A limiter that says
    no raises Refused, and the caller changes nothing."""
    for limiter in LIMITERS:
        limiter(action, user, done)


def register_limiter(limiter: Callable[..., None]) -> None:
    if limiter not in LIMITERS:
        LIMITERS.append(limiter)


# Form signals: the hidden fields a form carries (templates/includes/form_signals.html).
HONEYPOT_FIELD = "situs_web"
STAMP_FIELD = "ditampilkan"
_STAMP_SALT = "core.screening.form-shown"


def form_stamp() -> str:
    """A signed "shown at" for a form; cached pages carry an older one, which only
    makes a post look slower, never faster."""
    return signing.TimestampSigner(salt=_STAMP_SALT).sign(str(int(time.time())))


def form_seconds(stamp: str | None) -> float | None:
    """Seconds since the form was shown, or None for a missing or forged stamp."""
    if not stamp or len(stamp) > 200:
        return None
    try:
        shown = int(signing.TimestampSigner(salt=_STAMP_SALT).unsign(stamp))
    except (signing.BadSignature, ValueError):
        return None
    return max(0.0, time.time() - shown)


def form_signals(post) -> dict:
    """The keyword arguments the services take from a submitted form."""
    return {
        "form_seconds": form_seconds(post.get(STAMP_FIELD)),
        "honeypot_filled": bool(post.get(HONEYPOT_FIELD, "").strip()),
    }


LINK_POLICIES: list[Callable[[int], bool]] = []


def register_link_policy(policy: Callable[[int], bool]) -> None:
    if policy not in LINK_POLICIES:
        LINK_POLICIES.append(policy)


def links_followed(author_id: int | None) -> bool:
    """Whether this writer's links go out without rel=nofollow ugc (the sanitiser's
    ``trusted_links``): only when a registered policy says so (trust: Tepercaya)."""
    return author_id is not None and any(policy(author_id) for policy in LINK_POLICIES)


SIGNUP_LISTENERS: list[Callable[[object, str], None]] = []


def on_signup(listener: Callable[[object, str], None]) -> None:
    if listener not in SIGNUP_LISTENERS:
        SIGNUP_LISTENERS.append(listener)


def signed_up(user, address: str) -> None:
    """An account was just created from ``address`` (accounts' sign-up adapter)."""
    for listener in SIGNUP_LISTENERS:
        try:
            listener(user, address)
        except Exception:
            logger.exception("sign-up listener %r failed", listener)


SCREENERS: list[Callable[[Submission], Hold | None]] = []
# Called with (kind, object_id, hold) once a held post is stored, so the app
# that screens can put it in its queue.
ON_HOLD: list[Callable[[str, int, Hold], None]] = []


def register(screener: Callable[[Submission], Hold | None]) -> None:
    """Have ``screener`` look at every submission (once, however often added)."""
    if screener not in SCREENERS:
        SCREENERS.append(screener)


def on_hold(callback: Callable[[str, int, Hold], None]) -> None:
    if callback not in ON_HOLD:
        ON_HOLD.append(callback)


def screen(submission: Submission) -> Hold | None:
    """The first hold a screener gives, or None to publish. Refused propagates."""
    for screener in SCREENERS:
        try:
            hold = screener(submission)
        except Refused:
            raise
        except Exception:
            logger.exception("screener %r failed", screener)
            continue
        if hold is not None:
            return hold
    return None


def held(kind: str, object_id: int, hold: Hold) -> None:
    """Tell the screening app that a post is now held (in the same transaction)."""
    for callback in ON_HOLD:
        callback(kind, object_id, hold)
