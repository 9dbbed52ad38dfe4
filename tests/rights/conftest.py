import pytest

from tests.moderation.builders import make_moderator


@pytest.fixture(autouse=True)
def _private_roots(settings, tmp_path):
    """Exports and media of these tests in a throwaway folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.RIGHTS_EXPORT_ROOT = tmp_path / "exports"


@pytest.fixture
def moderator(db):
    return make_moderator(username="mod-satu", display_name="Moderator Rahasia")
