"""Government and court orders: the clock (4 h / 24 h, across the WIB day
boundary), overdue escalation, takedown distinct from hiding, subscriber
information recorded in the access log, court-ordered erasure."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from rights import services
from rights.admin import _hours_left
from rights.models import GovernmentOrder, PersonalDataAccess
from tests.comments.builders import make_comment

WIB = ZoneInfo("Asia/Jakarta")


def _order(targets, *, by, received_at=None, **fields):
    order = GovernmentOrder(
        source=fields.pop("source", "ministry"),
        authority="Kementerian Komunikasi dan Digital",
        legal_basis="Permenkominfo 5/2020 Pasal 14",
        reference=fields.pop("reference", "B-123/KOMDIGI/2026"),
        received_at=received_at or timezone.now(),
        targets="\n".join(targets),
        **fields,
    )
    return services.receive_order(order, by=by)


@pytest.mark.parametrize(
    ("urgency", "received", "due"),
    [
        # 22:30 WIB + 4 h crosses midnight: 02:30 WIB the next day.
        (
            "urgent",
            datetime(2026, 12, 2, 22, 30, tzinfo=WIB),
            datetime(2026, 12, 3, 2, 30, tzinfo=WIB),
        ),
        # 23:59 WIB on the last day of the month + 24 h.
        (
            "normal",
            datetime(2026, 11, 30, 23, 59, tzinfo=WIB),
            datetime(2026, 12, 1, 23, 59, tzinfo=WIB),
        ),
    ],
)
def test_the_clock_runs_from_receipt_across_the_wib_day_boundary(
    moderator, article, urgency, received, due
):
    order = _order(
        [article.get_absolute_url()], by=moderator, urgency=urgency, received_at=received
    )

    assert order.due_at == due
    assert timezone.localtime(order.due_at).strftime("%d %H:%M") == due.strftime("%d %H:%M")


def test_the_countdown_and_the_overdue_escalation(moderator, article, mailoutbox):
    now = timezone.now()
    late = _order(
        [article.get_absolute_url()],
        by=moderator,
        urgency="urgent",
        received_at=now - timezone.timedelta(hours=5),
        reference="TELAT-1",
    )
    fresh = _order([article.get_absolute_url()], by=moderator, reference="BARU-1")

    assert "terlambat" in str(_hours_left(late.due_at))
    assert "tersisa" in str(_hours_left(fresh.due_at))
    assert services.escalate_overdue_orders() == 1
    assert len(mailoutbox) == 1 and "TELAT-1" in mailoutbox[0].body
    assert moderator.email in mailoutbox[0].to
    # Once only.
    assert services.escalate_overdue_orders() == 0


def test_the_admin_lists_overdue_open_orders_first(admin_client, moderator, article):
    now = timezone.now()
    _order([article.get_absolute_url()], by=moderator, reference="BIASA-9")
    _order(
        [article.get_absolute_url()],
        by=moderator,
        urgency="urgent",
        received_at=now - timezone.timedelta(hours=6),
        reference="TELAT-9",
    )
    page = admin_client.get(reverse("admin:rights_governmentorder_changelist")).content.decode()
    assert page.index("TELAT-9") < page.index("BIASA-9")


def test_entering_an_order_in_the_admin_resolves_its_targets(admin_client, article):
    url = f"https://kolomwarga.example{article.get_absolute_url()}"
    response = admin_client.post(
        reverse("admin:rights_governmentorder_add"),
        {
            "source": "court",
            "authority": "PN Jakarta Pusat",
            "legal_basis": "UU ITE Pasal 26",
            "reference": "12/Pdt.P/2026",
            "kind": "erasure",
            "urgency": "normal",
            "received_at_0": "2026-12-02",
            "received_at_1": "23:30:00",
            "targets": url,
            "items-TOTAL_FORMS": "0",
            "items-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    order = GovernmentOrder.objects.get()
    assert order.items.get().article == article
    assert timezone.localtime(order.due_at).strftime("%Y-%m-%d %H:%M") == "2026-12-03 23:30"


def test_a_takedown_makes_the_content_unreachable_keeps_evidence_and_tells_the_author(
    client, moderator, article, writer, django_capture_on_commit_callbacks, mailoutbox
):
    comment = make_comment(article, body="Komentar yang diperintahkan turun.")
    order = _order(
        [article.get_absolute_url(), comment.get_absolute_url(), "/tidak/ada/"], by=moderator
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.carry_out_order(order, by=moderator)

    assert client.get(article.get_absolute_url()).status_code == 404
    article.refresh_from_db()
    assert article.status == Article.Status.DELETED
    assert article.body  # kept as evidence (the row stays)
    items = {item.url: item for item in order.items.all()}
    assert article.title in items[article.get_absolute_url()].snapshot
    assert items[comment.get_absolute_url()].snapshot == "Komentar yang diperintahkan turun."
    assert items["/tidak/ada/"].outcome == "not found on this site"
    order.refresh_from_db()
    assert order.status == "done" and order.met_deadline is True
    assert [writer.email] in [mail.to for mail in mailoutbox]


def test_the_author_is_not_told_when_the_order_forbids_it(
    moderator, article, writer, django_capture_on_commit_callbacks, mailoutbox
):
    order = _order([article.get_absolute_url()], by=moderator, forbid_author_notice=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.carry_out_order(order, by=moderator)
    assert [writer.email] not in [mail.to for mail in mailoutbox]


def test_a_court_ordered_erasure_removes_the_text(moderator, article):
    order = _order([article.get_absolute_url()], by=moderator, kind="erasure", source="court")
    services.carry_out_order(order, by=moderator)
    article.refresh_from_db()
    assert (article.status, article.body) == (Article.Status.DELETED, "")
    assert "Banjir" in order.items.get().snapshot


def test_subscriber_information_is_exported_and_logged(moderator, writer):
    order = _order(
        [reverse("articles:author", args=[writer.username])],
        by=moderator,
        kind="subscriber_info",
        source="police",
    )

    data = services.subscriber_information(order, by=moderator)

    assert data["accounts"][0]["email"] == writer.email
    entry = PersonalDataAccess.objects.get()
    assert (entry.subject, entry.staff, entry.kind) == (writer, moderator, "subscriber_export")
    with pytest.raises(ValidationError):
        services.carry_out_order(order, by=moderator)
