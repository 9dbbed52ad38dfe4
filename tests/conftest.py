import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from tests.factories import make_user


@pytest.fixture(autouse=True)
def _clear_cache():
    """View counting and sessions live in the cache: every test starts from an empty one."""
    cache.clear()
    yield
    cache.clear()


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
