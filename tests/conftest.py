import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.utils import translation

from caching import memory, redis
from tests.factories import make_article, make_user


@pytest.fixture(autouse=True)
def _clear_cache():
    """View counting and sessions live in the cache: every test starts from an empty one,
    and from empty page and fragment stores in this process's memory."""
    cache.clear()
    memory.clear()
    redis.health.reset()
    yield
    cache.clear()
    memory.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Start every test in Indonesian.

    A request under /en/ leaves English active in the thread, and reverse()
    would then build /en/ URLs in the next test.
    """
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture
def user(db):
    return make_user(username="pembaca", display_name="Pembaca Setia")


@pytest.fixture
def other_user(db):
    return make_user(username="tetangga", display_name="Tetangga Sebelah")


@pytest.fixture
def staff_user(db):
    return make_user(username="redaksi", display_name="Redaksi", is_staff=True)


# The people of a discussion: the writer of the article under discussion, and
# the suite's `user` and `other_user` named for the part they play.
@pytest.fixture
def writer(db):
    return make_user(username="penulis", display_name="Penulis Kolom")


@pytest.fixture
def article(writer):
    return make_article(author=writer, title="Banjir di kampung kami")


@pytest.fixture
def reader(user):
    return user


@pytest.fixture
def neighbour(other_user):
    return other_user


def pytest_collection_modifyitems(config, items):
    """Lighthouse's tests run only when asked for by name (``-m lighthouse``, as
    ``make lighthouse`` does): they must run alone (tests/e2e/test_lighthouse.py).

    With read replicas configured (the CI's PostgreSQL pass), the router sends
    reads outside transactions to them: let every database test use every alias.
    The replicas mirror the primary's test database (settings, TEST MIRROR)."""
    if "lighthouse" not in (config.getoption("markexpr") or ""):
        deselected = [item for item in items if item.get_closest_marker("lighthouse")]
        if deselected:
            config.hook.pytest_deselected(items=deselected)
            items[:] = [item for item in items if not item.get_closest_marker("lighthouse")]
    if not settings.DATABASE_REPLICAS:
        return
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker is not None and "databases" not in marker.kwargs:
            # Prepended, so that it is the closest django_db marker.
            item.add_marker(
                pytest.mark.django_db(*marker.args, **marker.kwargs, databases="__all__"),
                append=False,
            )


@pytest.fixture(scope="session", autouse=True)
def _close_replica_connections(request, django_db_blocker):
    """The replicas' connections point at the primary's test database: close
    them before it is dropped at the end of the session."""
    if not settings.DATABASE_REPLICAS:
        yield
        return
    request.getfixturevalue("django_db_setup")
    yield
    with django_db_blocker.unblock():
        connections.close_all()
