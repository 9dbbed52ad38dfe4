import pytest
from django.tasks import task_backends
from django_tasks_db import DatabaseBackend

from tests.factories import make_article, make_user


@pytest.fixture
def writer(db):
    return make_user(username="penulis", display_name="Penulis Kolom")


# The reader and the neighbour are the suite's `user` and `other_user`
# (tests/conftest.py), named here for the part they play.
@pytest.fixture
def reader(user):
    return user


@pytest.fixture
def neighbour(other_user):
    return other_user


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
