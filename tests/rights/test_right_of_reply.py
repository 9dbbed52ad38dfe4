"""The right of reply: invited when the review starts, shown to the moderator
on the case page before any decision, with the wait stated."""

import pytest
from django.urls import reverse

from moderation import services as moderation_services
from moderation.models import Reason
from rights import services
from rights.models import RightOfReply


@pytest.fixture
def case(article, other_user):
    report = moderation_services.report_article(
        article, reporter=other_user, reason=Reason.HOAX, details="Hoaks.", enforce_limits=False
    )
    return report.case


def test_starting_the_review_invites_the_author_by_email(
    case, writer, moderator, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        moderation_services.start_review(case, moderator=moderator)

    invitation = RightOfReply.objects.get(case=case)
    assert invitation.author == writer
    assert 23 * 3600 < (invitation.wait_until - invitation.invited_at).total_seconds() <= 24 * 3600
    mail = next(m for m in mailoutbox if m.to == [writer.email])
    assert invitation.get_absolute_url() in mail.body
    # Once per case.
    services.invite_reply(case.pk)
    assert RightOfReply.objects.count() == 1


def test_the_author_replies_and_the_moderator_sees_it_before_deciding(
    client, case, writer, other_user, moderator
):
    invitation = services.invite_reply(case.pk)
    moderator.is_superuser = True
    moderator.save(update_fields=["is_superuser"])
    client.force_login(moderator)
    page = client.get(reverse("admin:moderation_case_change", args=[case.pk])).content.decode()
    assert "Tunggu hingga" in page

    client.force_login(other_user)
    assert client.get(reverse("rights:reply", args=[invitation.pk])).status_code == 404
    client.force_login(writer)
    url = reverse("rights:reply", args=[invitation.pk])
    assert client.post(url, {"text": ""}).status_code == 400
    assert client.post(url, {"text": "Sumber saya data BPS 2025."}).status_code == 302
    assert client.post(url, {"text": "Lagi."}).status_code == 400

    client.force_login(moderator)
    page = client.get(reverse("admin:moderation_case_change", args=[case.pk])).content.decode()
    assert "Sumber saya data BPS 2025." in page


def test_no_reply_after_the_decision(case, writer, moderator):
    invitation = services.invite_reply(case.pk)
    moderation_services.hide_target(
        case, moderator=moderator, rule=Reason.SARA, public_reason="Mendesak: SARA."
    )
    with pytest.raises(services.ValidationError):
        services.submit_reply(invitation, by=writer, text="Terlambat.")
