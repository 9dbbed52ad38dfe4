import pytest
from django.tasks import task_backends
from django_tasks_db import DatabaseBackend


@pytest.fixture
def database_tasks(settings):
    """Queue tasks in the database, as production does, for the worker to run.

    The suite's settings use the immediate backend; Django has no hook that
    rebuilds task backends when TASKS changes, so the alias is swapped here.
    """
    settings.NOTIFICATIONS_EMAIL_DELAY = 0
    task_backends["default"] = DatabaseBackend(
        "default", {"BACKEND": "django_tasks_db.DatabaseBackend", "OPTIONS": {}}
    )
    yield
    del task_backends["default"]
