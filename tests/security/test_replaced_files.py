"""A removed or replaced avatar or article cover leaves storage after the commit, so its
old URL stops answering; never before the commit, and not at all when the write rolls back."""

import pytest
from django.db import transaction

from accounts.services import update_profile
from articles.models import Article
from articles.services import COVER_FIELDS, save_article

from .conftest import signed_in, small_jpeg

pytestmark = pytest.mark.django_db

PROFILE = {"display_name": "Pembaca", "occupation": "other", "tagline": "", "bio": ""}


class Rollback(Exception):
    pass


def stored(media, names) -> set[str]:
    """Which of these names exist under MEDIA_ROOT."""
    return {name for name in names if name and (media / name).is_file()}


def avatar_of(user, media, callbacks) -> str:
    with callbacks(execute=True):
        update_profile(user, data=PROFILE, avatar_upload=small_jpeg("foto.jpg"))
    assert stored(media, [user.avatar.name]) == {user.avatar.name}
    return user.avatar.name


def cover_files(article) -> list[str]:
    article.refresh_from_db()
    return [getattr(article, field).name for field in COVER_FIELDS]


def article_data(topic, **changes):
    data = {
        "title": "Banjir di kampung kami",
        "topic": topic,
        "excerpt": "",
        "body": "<p>Air naik sejak subuh.</p>",
        "cover_caption": "",
        "cover_credit": "",
    }
    return {**data, **changes}


def replace_cover(article, writer, topic):
    return save_article(
        article,
        author=writer,
        data=article_data(topic),
        tags=[],
        cover_upload=small_jpeg("lain.jpg"),
    )


@pytest.fixture
def article_with_cover(media, topic, writer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        article = save_article(
            Article(), author=writer, data=article_data(topic), tags=[], cover_upload=small_jpeg()
        )
    files = cover_files(article)
    assert all(files) and stored(media, files) == set(files)
    return article


# Avatars ---------------------------------------------------------------------------


def test_a_replaced_avatar_is_deleted_after_the_commit(
    media, user, django_capture_on_commit_callbacks
):
    old = avatar_of(user, media, django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=True):
        update_profile(user, data=PROFILE, avatar_upload=small_jpeg("baru.jpg"))
        assert stored(media, [old]) == {old}  # not before the commit

    user.refresh_from_db()
    assert user.avatar.name != old
    assert stored(media, [old, user.avatar.name]) == {user.avatar.name}


def test_a_removed_avatar_is_deleted_after_the_commit(
    media, user, django_capture_on_commit_callbacks
):
    old = avatar_of(user, media, django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=True):
        update_profile(user, data=PROFILE, remove_avatar=True)

    user.refresh_from_db()
    assert not user.avatar
    assert stored(media, [old]) == set()


def test_an_avatar_is_kept_when_the_change_rolls_back(
    media, user, django_capture_on_commit_callbacks
):
    old = avatar_of(user, media, django_capture_on_commit_callbacks)

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(Rollback),
        transaction.atomic(),
    ):
        update_profile(user, data=PROFILE, remove_avatar=True)
        raise Rollback

    user.refresh_from_db()
    assert user.avatar.name == old
    assert stored(media, [old]) == {old}


def test_saving_a_profile_without_touching_the_avatar_keeps_it(
    media, user, django_capture_on_commit_callbacks
):
    old = avatar_of(user, media, django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=True):
        update_profile(user, data={**PROFILE, "tagline": "Warga biasa"})

    assert stored(media, [old]) == {old}


def test_removing_the_avatar_on_the_profile_page_deletes_the_file(
    media, user, django_capture_on_commit_callbacks
):
    old = avatar_of(user, media, django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(user).post("/profil/ubah/", {**PROFILE, "remove_avatar": "on"})

    assert response.status_code == 302
    assert stored(media, [old]) == set()


# Covers and their renditions ---------------------------------------------------------


def test_a_replaced_cover_and_its_renditions_are_deleted_after_the_commit(
    media, topic, writer, article_with_cover, django_capture_on_commit_callbacks
):
    old = cover_files(article_with_cover)

    with django_capture_on_commit_callbacks(execute=True):
        replace_cover(article_with_cover, writer, topic)
        assert stored(media, old) == set(old)  # not before the commit

    new = cover_files(article_with_cover)
    assert set(new).isdisjoint(old)
    assert stored(media, old + new) == set(new)


def test_a_removed_cover_and_its_renditions_are_deleted_after_the_commit(
    media, topic, writer, article_with_cover, django_capture_on_commit_callbacks
):
    old = cover_files(article_with_cover)

    with django_capture_on_commit_callbacks(execute=True):
        save_article(
            article_with_cover,
            author=writer,
            data=article_data(topic),
            tags=[],
            remove_cover=True,
        )

    assert cover_files(article_with_cover) == ["", "", ""]
    assert stored(media, old) == set()


def test_a_cover_is_kept_when_the_change_rolls_back(
    media, topic, writer, article_with_cover, django_capture_on_commit_callbacks
):
    old = cover_files(article_with_cover)

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(Rollback),
        transaction.atomic(),
    ):
        replace_cover(article_with_cover, writer, topic)
        raise Rollback

    assert cover_files(article_with_cover) == old
    assert stored(media, old) == set(old)


def test_editing_the_text_keeps_the_cover(
    media, topic, writer, article_with_cover, django_capture_on_commit_callbacks
):
    old = cover_files(article_with_cover)

    with django_capture_on_commit_callbacks(execute=True):
        save_article(
            article_with_cover,
            author=writer,
            data=article_data(topic, title="Judul lain"),
            tags=[],
        )

    assert cover_files(article_with_cover) == old
    assert stored(media, old) == set(old)


# Evidence --------------------------------------------------------------------------


def test_a_reported_cover_stays_as_evidence_where_its_old_url_does_not_lead(
    media, topic, writer, reader, article_with_cover, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    from moderation.admin import snapshot_differs
    from moderation.models import Reason, evidence_source
    from moderation.services import report_article

    Article.objects.filter(pk=article_with_cover.pk).update(
        status=Article.Status.PUBLISHED, published_at=timezone.now()
    )
    article_with_cover.refresh_from_db()
    original = article_with_cover.cover.name
    original_bytes = (media / original).read_bytes()
    made = report_article(article_with_cover, reporter=reader, reason=Reason.HOAX)
    assert not snapshot_differs(made, made.case)

    with django_capture_on_commit_callbacks(execute=True):
        replace_cover(article_with_cover, writer, topic)

    made.refresh_from_db()
    assert stored(media, [original]) == set()  # the owner's file is gone
    assert (media / made.snapshot_cover).read_bytes() == original_bytes
    assert evidence_source(made.snapshot_cover) == original
    # Not reachable by putting "evidence/" in front of the old URL's name.
    assert made.snapshot_cover != f"evidence/{original}"
    assert not (media / "evidence" / original).exists()
    made.case.article.refresh_from_db()
    assert snapshot_differs(made, made.case)
