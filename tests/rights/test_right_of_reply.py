"""The right of reply: invited when the review starts, shown to the moderator
on the case page before any decision, with the wait stated."""

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from articles.models import Article
from core.decisions import Refused
from moderation import services as moderation_services
from moderation.models import ModerationAction, Reason
from rights import services
from rights.models import RightOfReply
from tests.rights.test_orders import _order


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
    assert "Penyembunyian ditolak hingga" in page

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


def _hide(case, moderator, **kwargs):
    kwargs.setdefault("rule", Reason.HOAX)
    return moderation_services.hide_target(
        case, moderator=moderator, public_reason="Tidak berdasar.", **kwargs
    )


def test_hiding_before_the_review_started_is_refused(case, article, moderator):
    with pytest.raises(Refused, match="Mulai peninjauan lebih dulu"):
        _hide(case, moderator)

    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert not ModerationAction.objects.filter(kind="hide").exists()


def test_hiding_during_the_wait_is_refused_then_allowed_once_it_ends(case, article, moderator):
    invitation = services.invite_reply(case.pk)

    with pytest.raises(Refused, match="Penulis punya waktu hingga"):
        _hide(case, moderator)
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED

    RightOfReply.objects.filter(pk=invitation.pk).update(wait_until=invitation.invited_at)
    action = _hide(case, moderator)
    article.refresh_from_db()
    assert article.status == Article.Status.HIDDEN
    assert action.urgent_reason == ""


def test_the_authors_reply_ends_the_wait(case, article, writer, moderator):
    invitation = services.invite_reply(case.pk)
    services.submit_reply(invitation, by=writer, text="Sumber saya data BPS.")

    _hide(case, moderator)

    article.refresh_from_db()
    assert article.status == Article.Status.HIDDEN


def test_an_urgent_rule_or_a_recorded_urgent_reason_acts_at_once(
    case, article, other_user, moderator
):
    services.invite_reply(case.pk)
    action = _hide(case, moderator, rule=Reason.SARA)
    assert action.rule == Reason.SARA

    second = moderation_services.report_article(
        _published(article.author), reporter=other_user, reason=Reason.HOAX, enforce_limits=False
    ).case
    services.invite_reply(second.pk)
    action = _hide(second, moderator, urgent_reason="Memicu kerusuhan malam ini.")
    assert action.urgent_reason == "Memicu kerusuhan malam ini."
    second.article.refresh_from_db()
    assert second.article.status == Article.Status.HIDDEN


def test_an_open_legal_order_on_the_article_acts_at_once(case, article, moderator):
    services.invite_reply(case.pk)
    _order([article.get_absolute_url()], by=moderator)

    _hide(case, moderator)

    article.refresh_from_db()
    assert article.status == Article.Status.HIDDEN


def test_comments_do_not_wait(comment_case, moderator):
    _hide(comment_case, moderator)
    comment_case.comment.refresh_from_db()
    assert comment_case.comment.status == "hidden_moderator"


def test_the_case_page_refuses_the_hide_with_the_time_the_wait_ends(
    client, case, article, moderator
):
    invitation = services.invite_reply(case.pk)
    client.force_login(moderator)
    url = reverse("admin:moderation_case_act", args=[case.pk, "hide"])

    page = client.post(
        url, {"rule": Reason.HOAX, "public_reason": "Tidak berdasar."}, follow=True
    ).content.decode()

    until = date_format(timezone.localtime(invitation.wait_until), "DATETIME_FORMAT")
    assert f"Penulis punya waktu hingga {until}" in page
    assert f"Penyembunyian ditolak hingga {until}" in page
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED

    # Saying why it cannot wait lets it through, recorded with the decision.
    client.post(
        url,
        {
            "rule": Reason.HOAX,
            "public_reason": "Tidak berdasar.",
            "urgent_reason": "Sedang viral dan memicu ancaman.",
        },
    )
    article.refresh_from_db()
    assert article.status == Article.Status.HIDDEN
    assert ModerationAction.objects.get(kind="hide").urgent_reason.startswith("Sedang viral")


def _published(author):
    from tests.factories import make_article

    return make_article(author=author, title="Artikel kedua")


@pytest.fixture
def comment_case(article, writer, other_user):
    from tests.comments.builders import make_comment

    comment = make_comment(article, author=writer)
    return moderation_services.report_comment(
        comment, reporter=other_user, reason=Reason.HOAX, enforce_limits=False
    ).case
