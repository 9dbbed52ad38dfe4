"""The worker's schedule for the trust app (README, "Trust and spam").

``daily_upkeep`` retrains the classifier, looks at every account's level again
(age alone promotes) and drops old fingerprints; then, when the task backend can
defer (the database worker), queues itself for the same time tomorrow. Start the
chain once with ``manage.py trust_upkeep --schedule`` (or run that from cron).
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.tasks import task
from django.utils import timezone

logger = logging.getLogger(__name__)

UPKEEP_INTERVAL = timedelta(days=1)


def upkeep() -> dict:
    from . import classifier, services
    from .models import Fingerprint

    trained = classifier.train()
    classifier.forget()
    changed = services.recompute_all()
    cutoff = timezone.now() - timedelta(hours=settings.TRUST_FINGERPRINT_HOURS)
    dropped, _ = Fingerprint.objects.filter(created_at__lt=cutoff).delete()
    return {
        "trained_on": trained.samples if trained else 0,
        "levels_changed": changed,
        "fingerprints_dropped": dropped,
    }


@task
def daily_upkeep(reschedule: bool = True) -> dict:
    result = upkeep()
    if reschedule:
        schedule_next()
    return result


def schedule_next() -> bool:
    """Queue tomorrow's upkeep; False when the backend cannot defer (development)."""
    if not daily_upkeep.get_backend().supports_defer:
        return False
    daily_upkeep.using(run_after=timezone.now() + UPKEEP_INTERVAL).enqueue(True)
    return True
