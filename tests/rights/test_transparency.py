"""The monthly transparency report against a known set of actions."""

import csv
import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from moderation import services as moderation_services
from moderation.models import ModerationAction, Reason, Report
from rights import services, transparency
from rights.models import Appeal, GovernmentOrder
from tests.factories import make_article, make_user
from tests.moderation.builders import let_the_reply_wait_pass, make_moderator

WIB = ZoneInfo("Asia/Jakarta")
DEC = datetime(2026, 12, 1, 0, 30, tzinfo=WIB)  # just after midnight WIB, still 30 Nov UTC


@pytest.fixture
def month(writer, moderator):
    second = make_moderator(username="mod-dua")
    reporters = [make_user(username=f"pelapor{i}") for i in range(3)]
    a1 = make_article(author=writer, title="Satu")
    a2 = make_article(author=writer, title="Dua")
    r1 = moderation_services.report_article(
        a1, reporter=reporters[0], reason=Reason.HOAX, details="", enforce_limits=False
    )
    r2 = moderation_services.report_article(
        a1, reporter=reporters[1], reason=Reason.HOAX, details="", enforce_limits=False
    )
    r3 = moderation_services.report_article(
        a2, reporter=reporters[2], reason=Reason.SPAM, details="", enforce_limits=False
    )
    let_the_reply_wait_pass(r1.case)
    hide = moderation_services.hide_target(
        r1.case, moderator=moderator, rule=Reason.HOAX, public_reason="Hoaks."
    )
    moderation_services.warn_account(
        r3.case, moderator=moderator, rule=Reason.SPAM, public_reason="Jangan spam."
    )
    # Put everything in December (WIB), with known times to a decision: 2 h and 4 h.
    Report.objects.filter(pk__in=[r1.pk, r2.pk, r3.pk]).update(created_at=DEC)
    Report.objects.filter(pk=r1.pk).update(resolved_at=DEC + timedelta(hours=2))
    Report.objects.filter(pk=r2.pk).update(resolved_at=DEC + timedelta(hours=4))
    Report.objects.filter(pk=r3.pk).update(resolved_at=None, status="received")
    ModerationAction.objects.update(created_at=DEC + timedelta(hours=1))
    # A November report that must not count.
    old = moderation_services.report_article(
        a2, reporter=reporters[0], reason=Reason.SARA, details="", enforce_limits=False
    )
    Report.objects.filter(pk=old.pk).update(created_at=DEC - timedelta(hours=1))
    for urgency, hours_to_close in (("urgent", 3), ("normal", 30), ("normal", None)):
        order = GovernmentOrder(
            source="ministry",
            authority="Komdigi",
            legal_basis="PM 5/2020",
            reference=f"R-{urgency}-{hours_to_close}",
            urgency=urgency,
            received_at=DEC + timedelta(hours=2),
            targets="/x/",
        )
        services.receive_order(order, by=moderator)
        if hours_to_close:
            GovernmentOrder.objects.filter(pk=order.pk).update(
                status="done", closed_at=DEC + timedelta(hours=2 + hours_to_close)
            )
    appeal = services.file_appeal(hide, by=writer, text="Mohon.")
    services.decide_appeal(appeal, by=second, outcome="reversed", reason="Sah.")
    Appeal.objects.update(created_at=DEC + timedelta(hours=5))
    return reporters


def test_the_figures_of_a_known_month(month):
    report = transparency.build(2026, 12)

    by_reason = dict(report.reports_by_reason)
    assert report.reports_total == 3
    assert by_reason[Reason.HOAX.label] == 2 and by_reason[Reason.SPAM.label] == 1
    assert by_reason[Reason.SARA.label] == 0
    assert report.median_hours_to_decision == 3.0
    assert report.accounts_warned == 1 and report.accounts_suspended == 0
    orders = {label: rest for label, *rest in report.orders}
    assert orders[GovernmentOrder.Urgency.URGENT.label] == [1, 1, 0, 0]
    assert orders[GovernmentOrder.Urgency.NORMAL.label] == [2, 0, 1, 1]
    assert (report.appeals_filed, report.appeals_decided, report.appeals_reversed) == (1, 1, 1)
    november = transparency.build(2026, 11)
    assert november.reports_total == 1


def test_the_page_and_csv_are_public_and_name_nobody(client, month, writer, moderator):
    page = client.get(reverse("rights:transparency_month", args=[2026, 12]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Laporan Transparansi Desember 2026" in html
    for name in (writer.email, moderator.username, month[0].username, "Moderator Rahasia"):
        assert name not in html

    response = client.get(reverse("rights:transparency_csv", args=[2026, 12]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert ["appeals", "reversed", "1"] in rows
    assert ["reports", "total", "3"] in rows


def test_the_footer_links_the_report_and_bad_months_are_404(client, db):
    assert reverse("rights:transparency") in client.get("/").content.decode()
    assert client.get(reverse("rights:transparency")).status_code == 200
    future = timezone.localtime().year + 1
    for year, month in ((2026, 13), (2026, 0), (future, 1), (1999, 5)):
        assert client.get(f"/transparansi/{year}/{month}/").status_code == 404
    assert client.get("/transparansi/99999999999999999999/1/").status_code == 404
