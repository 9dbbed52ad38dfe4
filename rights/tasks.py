"""Background work of the rights app, run by the task worker (``make worker``).

The tasks import the services when they run: the services queue these tasks."""

import logging

from django.tasks import task

logger = logging.getLogger(__name__)


@task
def build_export(export_id: int) -> str:
    """Build one Data Saya export and email its link; returns the final status."""
    from . import services

    return services.run_export(export_id)


@task
def remove_account_when_due(deletion_id: int) -> bool:
    """Carry out one account deletion if its grace period has passed (queued to run
    then); a cancelled one, or one not yet due, is left alone."""
    from . import services

    return services.remove_account(deletion_id)
