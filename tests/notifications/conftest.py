import pytest
from django.tasks import task_backends
from django_tasks_db import DatabaseBackend

from tests.factories import make_article, make_user


@pytest.fixture
def writer(db):
    return make_user(username="penulis", display_name="Penulis Kolom")


@pytest.fixture
def reader(db):
    return make_user(username="pembaca", display_name="Pembaca Setia")


@pytest.fixture
def neighbour(db):
    return make_user(username="tetangga", display_name="Tetangga Sebelah")


@pytest.fixture
def article(writer):
    return make_article(author=writer, title="Banjir di kampung kami")


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
