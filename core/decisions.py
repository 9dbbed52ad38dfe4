"""Checks a higher app makes before a moderator's decision takes effect (README,
"People's rights": the right of reply's wait).

``moderation.services`` calls :func:`check` inside the decision's transaction,
before it changes anything; an app above it (``rights``) registers a check in
its ``AppConfig.ready``. So moderation never imports the app that checks, and
the import arrows keep pointing down, as with ``core.events`` and
``core.screening``. A check returns to let the decision through or raises
:class:`Refused` with the translated message the moderator reads; nothing was
changed then.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError


@dataclass(frozen=True)
class Decision:
    kind: str  # a moderation.models.ModerationAction.Kind value
    case: object  # the moderation.models.Case, locked by the caller
    rule: str  # the house rule the moderator named ("" when none)
    urgent_reason: str  # why it cannot wait, when the moderator says so ("" otherwise)


class Refused(ValidationError):
    """The decision may not be taken now; the message says why and when."""

    def __init__(self, message: str):
        super().__init__(message, code="refused")


CHECKS: list[Callable[[Decision], None]] = []


def register(check_: Callable[[Decision], None]) -> None:
    """Have ``check_(decision)`` asked before every decision (once, however often added)."""
    if check_ not in CHECKS:
        CHECKS.append(check_)


def check(decision: Decision) -> None:
    """Ask every registered check; the first that refuses raises :class:`Refused`."""
    for check_ in CHECKS:
        check_(decision)
