"""The database keeps the rules even past the services."""

import pytest
from django.db import IntegrityError, transaction

from notifications.models import EmailPreference, Notification
from tests.comments.builders import make_comment

Kind = Notification.Kind


def test_a_notification_to_oneself_is_refused(writer):
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(recipient=writer, actor=writer, kind=Kind.FOLLOWER)


def test_an_unknown_kind_is_refused(writer):
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(recipient=writer, kind="gossip")


def test_one_notice_per_comment_and_person(article, writer, reader):
    comment = make_comment(article, author=reader)

    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(
            recipient=writer, actor=reader, kind=Kind.REPLY, article=article, comment=comment
        )


def test_one_follower_notice_per_follower(writer, reader):
    Notification.objects.create(recipient=writer, actor=reader, kind=Kind.FOLLOWER)

    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(recipient=writer, actor=reader, kind=Kind.FOLLOWER)


def test_each_kind_with_a_switch_has_a_preference_field():
    fields = {field.name for field in EmailPreference._meta.get_fields()}

    for kind in Kind:
        field = EmailPreference.field_for(kind)
        assert field is None or field in fields
    assert EmailPreference.field_for(Kind.MODERATION) is None


def test_the_notifications_page_is_the_absolute_url(article, writer, reader):
    make_comment(article, author=reader)

    notice = Notification.objects.get()

    assert notice.get_absolute_url() == "/notifikasi/"
    assert notice.target_url == notice.comment.get_absolute_url()
    assert str(notice).endswith(str(writer))
