"""Background work for moderation: the notice to the author, sent by the worker."""

import logging

from django.core.mail import send_mail
from django.tasks import task

logger = logging.getLogger(__name__)


@task
def send_notice(subject: str, body: str, recipient: str) -> None:
    """Email a moderation notice. A failure is logged and recorded as the task's
    error; the action it reports stays done."""
    try:
        send_mail(subject, body, None, [recipient])
    except Exception:
        logger.exception("Could not send the moderation notice to %s", recipient)
        raise
