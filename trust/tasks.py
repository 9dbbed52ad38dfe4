"""The worker's schedule for the trust app (README, "Trust and spam").

``daily_upkeep`` retrains the classifier, looks at every account's level again
(age alone promotes) and drops old fingerprints; then, when the task backend can
defer (the database worker), queues itself for the next upkeep hour. The chain
starts by itself: :func:`ensure_scheduled` runs after every ``migrate`` (and when
``make worker`` starts) and queues the task unless one is already waiting.
"""

import logging
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import DatabaseError, router
from django.tasks import TaskResultStatus, task
from django.utils import timezone

logger = logging.getLogger(__name__)

TASK_PATH = "trust.tasks.daily_upkeep"
RETRAIN_PATH = "trust.tasks.retrain"
MODELS_KEPT = 3  # older models are never read again (classifier._current takes the newest)


def upkeep() -> dict:
    from . import services
    from .models import Fingerprint

    trained = _train()
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
    try:
        return upkeep()
    finally:
        # A failed run (the classifier, a database hiccup) must not end the chain.
        if reschedule:
            schedule_next()


@task
def retrain() -> int:
    """Fit the classifier on the seed set and every decision so far."""
    model = _train()
    return model.samples if model else 0


def _train():
    from . import classifier
    from .models import ClassifierModel

    model = classifier.train()
    classifier.forget()
    kept = list(
        ClassifierModel.objects.order_by("-created_at", "-id").values_list("id")[:MODELS_KEPT]
    )
    ClassifierModel.objects.exclude(id__in=[pk for (pk,) in kept]).delete()
    return model


def retrain_soon() -> None:
    """After a moderator's decision: retrain in TRUST_RETRAIN_DELAY_SECONDS, once for
    a burst of decisions (the worker); at once where tasks run in the process."""
    if not retrain.get_backend().supports_defer:
        retrain.enqueue()
        return
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(
        task_path=RETRAIN_PATH, status=TaskResultStatus.READY
    ).exists()
    if not waiting:
        delay = timedelta(seconds=settings.TRUST_RETRAIN_DELAY_SECONDS)
        retrain.using(run_after=timezone.now() + delay).enqueue()


def next_run(now: datetime | None = None) -> datetime:
    """The next TRUST_UPKEEP_HOUR in the site's time zone (a quiet hour in WIB)."""
    local = timezone.localtime(now or timezone.now())
    at = datetime.combine(local.date(), time(settings.TRUST_UPKEEP_HOUR), tzinfo=local.tzinfo)
    return at if at > local else at + timedelta(days=1)


def schedule_next() -> bool:
    """Queue the next upkeep; False when the backend cannot defer (development)."""
    if not daily_upkeep.get_backend().supports_defer:
        return False
    daily_upkeep.using(run_after=next_run()).enqueue(True)
    return True


def ensure_scheduled() -> bool:
    """Queue the next upkeep unless one is already waiting or running (idempotent);
    True when this call queued it. A backend that cannot defer has no schedule."""
    if not daily_upkeep.get_backend().supports_defer:
        return False
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(
        task_path=TASK_PATH, status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]
    )
    try:
        if waiting.exists():
            return False
    except DatabaseError:  # the queue's table is not there yet (a partial migrate)
        return False
    return schedule_next()


def ensure_scheduled_after_migrate(*, using: str, **kwargs) -> None:
    """post_migrate receiver (Django's only hook for "the tables now exist"): the
    daily upkeep queued, and a retrain when the stored model is unreadable."""
    from django_tasks_db.models import DBTaskResult

    if router.db_for_write(DBTaskResult) != using:
        return
    if ensure_scheduled():
        logger.info("trust: daily upkeep queued for %s", next_run().isoformat())
    from . import classifier

    try:
        stale = classifier.needs_retraining(using)
    except DatabaseError:  # the model's table is not there yet (a partial migrate)
        return
    if stale:
        # A deploy that changed the stored format: score again soon, not tomorrow.
        logger.info("trust: the stored spam model is unreadable, retraining")
        retrain_soon()
