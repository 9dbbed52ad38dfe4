import pytest

from tests.factories import make_article, make_user

from .builders import make_comment, make_established_user, make_moderator


@pytest.fixture
def writer(db):
    """The author of the reported content."""
    return make_established_user(
        username="penulis", display_name="Penulis Kolom", email="penulis@example.com"
    )


@pytest.fixture
def article(writer):
    return make_article(author=writer, title="Banjir di kampung kami", tags=["banjir"])


@pytest.fixture
def comment(article):
    return make_comment(
        article, author=make_established_user(username="komentator"), body="Komentar kasar"
    )


@pytest.fixture
def reader(db):
    return make_established_user(username="pembaca", display_name="Pembaca Setia")


@pytest.fixture
def moderator(db):
    return make_moderator(username="moderator", display_name="Moderator Satu")


@pytest.fixture
def staff_without_group(db):
    return make_user(username="staf", is_staff=True)


@pytest.fixture
def superuser(db):
    return make_user(username="admin", is_staff=True, is_superuser=True)
