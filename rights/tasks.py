"""Background work of the rights app, run by the task worker (``make worker``)."""

import logging

from django.tasks import task

logger = logging.getLogger(__name__)


@task
def build_export(export_id: int) -> str:
    """Build one Data Saya export and email its link; returns the final status."""
    from . import services

    return services.run_export(export_id)
