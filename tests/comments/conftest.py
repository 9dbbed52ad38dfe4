import pytest
from django.core.cache import cache

from tests.factories import make_article, make_user


@pytest.fixture(autouse=True)
def _empty_cache():
    """Flood and duplicate control keep their keys in the cache: start each test without any."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def writer(db):
    """The author of the article under discussion."""
    return make_user(username="penulis", display_name="Penulis Kolom")


@pytest.fixture
def article(writer):
    return make_article(author=writer, title="Banjir di kampung kami")


@pytest.fixture
def reader(db):
    return make_user(username="pembaca", display_name="Pembaca Setia")


@pytest.fixture
def neighbour(db):
    return make_user(username="tetangga", display_name="Tetangga Sebelah")


@pytest.fixture
def staff(db):
    return make_user(username="redaksi", display_name="Redaksi", is_staff=True)
