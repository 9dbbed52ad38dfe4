"""Appeals: once, within 20 days, up to 2,000 characters; a different moderator
decides; reversal restores through moderation services; the person is told."""

from datetime import timedelta

import pytest
from django.urls import reverse

from articles.models import Article
from moderation import services as moderation_services
from moderation.models import ModerationAction, Reason
from rights import services
from rights.models import Appeal
from tests.factories import make_article
from tests.moderation.builders import let_the_reply_wait_pass, make_moderator


@pytest.fixture
def hidden(writer, other_user, moderator):
    article = make_article(author=writer, title="Opini tentang pasar")
    report = moderation_services.report_article(
        article, reporter=other_user, reason=Reason.HOAX, details="Hoaks.", enforce_limits=False
    )
    let_the_reply_wait_pass(report.case)
    action = moderation_services.hide_target(
        report.case, moderator=moderator, rule=Reason.HOAX, public_reason="Tidak berdasar."
    )
    return action


@pytest.fixture
def second_moderator(db):
    return make_moderator(username="mod-dua", display_name="Moderator Dua")


def test_the_author_appeals_from_tulisan_saya(client, writer, hidden):
    client.force_login(writer)
    dashboard = client.get(reverse("articles:dashboard")).content.decode()
    url = reverse("rights:appeal", args=[hidden.pk])
    assert url in dashboard

    assert client.post(url, {"text": "x" * 2001}).status_code == 400
    assert not Appeal.objects.exists()
    response = client.post(url, {"text": "Data saya dari BPS, tautannya ada di artikel."})

    assert response.status_code == 302
    appeal = Appeal.objects.get()
    assert (appeal.action, appeal.appellant, appeal.status) == (hidden, writer, "open")
    # Once only.
    client.post(url, {"text": "Sekali lagi."})
    assert Appeal.objects.count() == 1
    assert "Menunggu moderator" in client.get(url).content.decode()


def test_someone_else_cannot_appeal_anothers_decision(client, other_user, hidden):
    client.force_login(other_user)
    assert client.get(reverse("rights:appeal", args=[hidden.pk])).status_code == 404
    with pytest.raises(services.AppealRefused):
        services.file_appeal(hidden, by=other_user, text="Bukan urusan saya.")


def test_after_twenty_days_it_is_too_late(writer, hidden):
    ModerationAction.objects.filter(pk=hidden.pk).update(
        created_at=hidden.created_at - timedelta(days=20, minutes=1)
    )
    hidden.refresh_from_db()
    with pytest.raises(services.AppealRefused, match="20 hari"):
        services.file_appeal(hidden, by=writer, text="Terlambat.")


def test_the_moderator_who_decided_cannot_decide_the_appeal(writer, moderator, hidden):
    appeal = services.file_appeal(hidden, by=writer, text="Mohon ditinjau.")

    with pytest.raises(services.AppealRefused, match="moderator lain"):
        services.decide_appeal(appeal, by=moderator, outcome="reversed", reason="Saya salah.")
    appeal.refresh_from_db()
    assert appeal.status == "open"


def test_a_reversal_restores_the_article_through_moderation_and_tells_the_author(
    writer, hidden, second_moderator, django_capture_on_commit_callbacks, mailoutbox
):
    appeal = services.file_appeal(hidden, by=writer, text="Mohon ditinjau.")

    with django_capture_on_commit_callbacks(execute=True):
        services.decide_appeal(
            appeal, by=second_moderator, outcome="reversed", reason="Sumbernya sah."
        )

    appeal.refresh_from_db()
    assert (appeal.status, appeal.decided_by) == ("reversed", second_moderator)
    article = hidden.case.article
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    restore = ModerationAction.objects.filter(case=hidden.case, kind="restore").get()
    assert restore.moderator == second_moderator
    assert "Sumbernya sah." in restore.public_reason
    assert any("Sumbernya sah." in mail.body for mail in mailoutbox if mail.to == [writer.email])


def test_an_upheld_appeal_changes_nothing_but_is_recorded(writer, hidden, second_moderator):
    appeal = services.file_appeal(hidden, by=writer, text="Mohon ditinjau.")

    services.decide_appeal(appeal, by=second_moderator, outcome="upheld", reason="Tetap hoaks.")

    appeal.refresh_from_db()
    assert (appeal.status, appeal.outcome_reason) == ("upheld", "Tetap hoaks.")
    assert hidden.case.article.status == Article.Status.HIDDEN
    with pytest.raises(services.AppealRefused):
        services.decide_appeal(appeal, by=second_moderator, outcome="reversed", reason="Eh.")


def test_the_admin_decides_through_the_service(client, writer, moderator, hidden, second_moderator):
    appeal = services.file_appeal(hidden, by=writer, text="Mohon ditinjau.")
    url = reverse("admin:rights_appeal_change", args=[appeal.pk])
    second_moderator.is_superuser = True
    second_moderator.save(update_fields=["is_superuser"])
    moderator.is_superuser = True
    moderator.save(update_fields=["is_superuser"])

    client.force_login(moderator)
    client.post(url, {"status": "reversed", "outcome_reason": "Saya salah."})
    appeal.refresh_from_db()
    assert appeal.status == "open"

    client.force_login(second_moderator)
    client.post(url, {"status": "reversed", "outcome_reason": "Sumbernya sah."})
    appeal.refresh_from_db()
    assert (appeal.status, appeal.decided_by) == ("reversed", second_moderator)
