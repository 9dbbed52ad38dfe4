"""The daily upkeep exists after migrate, on a fresh install, without anyone queueing it."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.tasks import task_backends
from django.utils import timezone
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from trust import tasks
from trust.models import ClassifierModel

worker_test = pytest.mark.django_db(transaction=True)


@pytest.fixture
def database_tasks():
    """Queue tasks in the database, as production does, for the worker to run."""
    task_backends["default"] = DatabaseBackend(
        "default", {"BACKEND": "django_tasks_db.DatabaseBackend", "OPTIONS": {}}
    )
    yield
    del task_backends["default"]


@pytest.fixture
def clock(monkeypatch):
    real_now = timezone.now
    offset = {"by": timedelta(0)}
    monkeypatch.setattr(timezone, "now", lambda: real_now() + offset["by"])

    def move_to(when):
        offset["by"] = when - real_now()

    return move_to


def queued_upkeeps():
    return list(DBTaskResult.objects.filter(task_path=tasks.TASK_PATH).order_by("run_after"))


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "*", verbosity=0)


@worker_test
def test_migrate_queues_the_daily_upkeep_once(database_tasks):
    DBTaskResult.objects.all().delete()

    call_command("migrate", verbosity=0)
    call_command("migrate", verbosity=0)  # a second deploy adds no second chain

    (queued,) = queued_upkeeps()
    assert queued.status == "READY"
    assert queued.run_after == tasks.next_run()
    assert timezone.localtime(queued.run_after).hour == 3  # 03:00 WIB


@worker_test
def test_starting_the_worker_queues_it_when_it_went_missing(database_tasks):
    DBTaskResult.objects.all().delete()
    call_command("trust_upkeep", "--ensure-schedule", verbosity=0)
    call_command("trust_upkeep", "--ensure-schedule", verbosity=0)
    assert len(queued_upkeeps()) == 1
    assert not ClassifierModel.objects.exists()  # --ensure-schedule runs nothing now


@worker_test
def test_the_worker_retrains_then_queues_the_next_day(database_tasks, clock):
    pytest.importorskip("sklearn")
    DBTaskResult.objects.all().delete()
    assert tasks.ensure_scheduled()
    (first,) = queued_upkeeps()

    run_worker()  # before its hour: nothing runs
    assert not ClassifierModel.objects.exists()

    clock(first.run_after + timedelta(minutes=1))
    run_worker()

    assert ClassifierModel.objects.count() == 1
    done, following = queued_upkeeps()
    assert done.status == "SUCCESSFUL"
    assert following.status == "READY"
    assert following.run_after == first.run_after + timedelta(days=1)


@worker_test
def test_a_failed_upkeep_still_queues_the_next_one(database_tasks, clock, monkeypatch):
    def broken():
        raise RuntimeError("the classifier fell over")

    monkeypatch.setattr(tasks, "upkeep", broken)
    DBTaskResult.objects.all().delete()
    tasks.ensure_scheduled()
    (first,) = queued_upkeeps()
    clock(first.run_after + timedelta(minutes=1))

    run_worker()

    failed, following = queued_upkeeps()
    assert failed.status == "FAILED"
    assert following.status == "READY"
    assert following.run_after == first.run_after + timedelta(days=1)


@pytest.mark.django_db
def test_without_a_worker_nothing_is_queued():
    """Development runs tasks at once: there is no queue to keep a schedule in."""
    assert not tasks.ensure_scheduled()
    assert not DBTaskResult.objects.exists()
