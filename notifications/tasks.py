"""Background work: the notification emails. The worker (``make worker``,
django-tasks-db's ``db_worker``) runs these in production; the immediate
backend runs them at once in development and tests."""

from django.tasks import task

from . import services


@task
def send_notification_emails(user_ids: list[int]) -> int:
    """One email per person with everything pending for them; returns how many were sent.

    A failure for one person does not stop the others; it is raised at the
    end so the task is recorded as failed (their notifications stay pending).
    """
    sent, failures = 0, []
    for user_id in user_ids:
        try:
            sent += services.send_pending_email(user_id)
        except Exception as error:
            failures.append(error)
    if failures:
        raise failures[0]
    return sent
