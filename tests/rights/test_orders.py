"""Government and court orders: the clock (4 h / 24 h, across the WIB day
boundary), overdue escalation, takedown distinct from hiding, subscriber
information recorded in the access log, court-ordered erasure."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from articles.models import Article
from moderation import services as moderation_services
from moderation.models import Case, ModerationAction
from notifications.models import Notification
from rights import services
from rights.admin import _hours_left
from rights.models import GovernmentOrder, PersonalDataAccess
from tests.comments.builders import make_comment
from tests.factories import make_article

WIB = ZoneInfo("Asia/Jakarta")


def _order(targets, *, by, received_at=None, **fields):
    order = GovernmentOrder(
        source=fields.pop("source", "ministry"),
        authority="Kementerian Komunikasi dan Digital",
        legal_basis=fields.pop("legal_basis", "Permenkominfo 5/2020 Pasal 14"),
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

    assert client.get(article.get_absolute_url()).status_code == 451
    article.refresh_from_db()
    assert article.status == Article.Status.WITHHELD
    assert article.body  # nothing deleted (the row and its text stay)
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


UNIQUE = "Kalimantankuning"


def test_a_takedown_withholds_the_article_everywhere_with_a_451_notice(
    client, settings, moderator, writer, other_user, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE = settings.FRAGMENT_CACHE = True
    article = make_article(author=writer, title=f"Sungai {UNIQUE}", body=f"<p>{UNIQUE}</p>")
    page = article.get_absolute_url()
    lists = [
        reverse("articles:home"),
        reverse("articles:feed"),
        reverse("articles:author", args=[writer.username]),
        reverse("articles:author_feed", args=[writer.username]),
        article.topic.get_absolute_url(),
        "/sitemap-articles.xml",
        "/api/v1/articles",
    ]
    # Everything read (and cached) first, so a stale copy would show.
    assert client.get(page).status_code == 200
    for url in lists:
        assert f"/artikel/{article.pk}/" in client.get(url).content.decode(), url
    search = client.get(reverse("search:search"), {"q": UNIQUE}).content.decode()
    assert f"/artikel/{article.pk}/" in search
    assert client.get(f"/api/v1/articles/{article.pk}").status_code == 200
    activity = {"HTTP_ACCEPT": "application/activity+json"}
    assert client.get(f"/ap/articles/{article.pk}", **activity).status_code == 200

    order = _order([page], by=moderator, legal_basis="UU ITE Pasal 40 ayat (2b)")
    with django_capture_on_commit_callbacks(execute=True):
        services.carry_out_order(order, by=moderator)

    response = client.get(page)
    assert response.status_code == 451
    assert f'<{settings.SITE_URL}>; rel="blocked-by"' == response["Link"]
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    notice = response.content.decode()
    assert "Ditahan atas perintah hukum" in notice
    assert "Kementerian Komunikasi dan Digital" in notice and "UU ITE Pasal 40" in notice
    assert UNIQUE not in notice.replace(f"Sungai {UNIQUE}", "")  # the title only, no body
    for url in lists:
        assert f"/artikel/{article.pk}/" not in client.get(url).content.decode(), url
    search = client.get(reverse("search:search"), {"q": UNIQUE}).content.decode()
    assert f"/artikel/{article.pk}/" not in search
    assert client.get(f"/api/v1/articles/{article.pk}").status_code == 404
    assert client.get(f"/ap/articles/{article.pk}", **activity).status_code == 404
    # Nobody can report, rate or comment on it any more.
    client.force_login(other_user)
    assert client.get(reverse("moderation:report_article", args=[article.pk])).status_code == 404


def test_the_author_sees_why_in_english_too_and_cannot_edit_it(client, moderator, writer, article):
    order = _order([article.get_absolute_url()], by=moderator, reference="B-77/KOMDIGI/2026")
    services.carry_out_order(order, by=moderator)
    client.force_login(writer)

    page = client.get(article.get_absolute_url())
    assert page.status_code == 451
    assert "Anda menulis artikel ini" in page.content.decode()
    assert "B-77/KOMDIGI/2026" in page.content.decode()
    # Listed with its status in Tulisan Saya, not editable.
    mine = client.get(reverse("articles:dashboard")).content.decode()
    assert "Ditahan atas perintah hukum" in mine
    assert f"/artikel/{article.pk}/#withheld-author" in mine or "#withheld-author" in mine
    assert client.get(reverse("articles:edit", args=[article.pk])).status_code == 403
    english = client.get("/en" + article.get_absolute_url())
    assert english.status_code == 451
    assert "You wrote this article" in english.content.decode()
    assert "Withheld by a legal order" in english.content.decode()
    article.refresh_from_db()
    assert article.status == Article.Status.WITHHELD


def test_a_notice_the_order_forbids_shows_no_details(client, moderator, writer, article):
    order = _order(
        [article.get_absolute_url()], by=moderator, forbid_author_notice=True, reference="R-1"
    )
    services.carry_out_order(order, by=moderator)
    for user in (None, writer):
        if user:
            client.force_login(user)
        page = client.get(article.get_absolute_url()).content.decode()
        assert "R-1" not in page and "Kementerian Komunikasi" not in page


def test_an_order_that_forbids_telling_suspends_the_account_without_a_word(
    moderator, writer, mailoutbox
):
    order = _order(
        [f"https://kolomwarga.example{reverse('articles:author', args=[writer.username])}"],
        by=moderator,
        forbid_author_notice=True,
        reference="SP-9/2026",
    )

    services.carry_out_order(order, by=moderator)

    writer.refresh_from_db()
    assert writer.is_suspended
    action = order.items.get().action
    assert "Kementerian" not in action.public_reason and "SP-9" not in action.public_reason
    assert "SP-9/2026" in action.internal_reason
    assert not Notification.objects.filter(recipient=writer).exists()
    assert not [mail for mail in mailoutbox if writer.email in mail.to]


def test_an_order_against_an_account_suspends_it_through_moderation(
    client, moderator, writer, mailoutbox
):
    until = timezone.now() + timezone.timedelta(days=30)
    order = _order(
        [f"https://kolomwarga.example{reverse('articles:author', args=[writer.username])}"],
        by=moderator,
        account_suspended_until=until,
        reference="SP-5/2026",
    )

    services.carry_out_order(order, by=moderator)

    writer.refresh_from_db()
    assert writer.is_suspended and writer.suspended_until == until
    target = order.items.get()
    assert target.outcome == "account suspended"
    assert "penulis" in target.snapshot  # the profile as it was, kept as evidence
    action = target.action
    assert (action.kind, action.moderator, action.suspended_until) == ("suspend", moderator, until)
    assert "Kementerian Komunikasi dan Digital" in action.public_reason
    assert "SP-5/2026" in action.internal_reason
    case = Case.objects.get(account=writer)
    assert case.owner == writer and action.case == case
    # The person cannot sign in.
    assert not client.login(username=writer.username, password="kata-sandi-uji")

    # Reversed the normal way: lifted on the account's case.
    second = User.objects.get(pk=make_moderator_two().pk)
    moderation_services.lift_account_suspension(
        case, moderator=second, public_reason="Perintah dicabut."
    )
    writer.refresh_from_db()
    assert not writer.is_suspended
    assert ModerationAction.objects.filter(case=case, kind="lift_suspension").exists()


def test_an_indefinite_order_suspends_indefinitely_and_staff_are_left_alone(
    moderator, writer, staff_user
):
    order = _order(
        [
            reverse("articles:author", args=[writer.username]),
            reverse("articles:author", args=[staff_user.username]),
        ],
        by=moderator,
    )
    services.carry_out_order(order, by=moderator)

    writer.refresh_from_db()
    staff_user.refresh_from_db()
    assert writer.suspended_indefinitely
    assert not staff_user.is_suspended
    outcomes = {item.account: item.outcome for item in order.items.all()}
    assert outcomes == {writer: "account suspended", staff_user: "account: not suspended"}


def test_the_suspended_author_can_appeal_the_orders_suspension(client, moderator, writer):
    order = _order([reverse("articles:author", args=[writer.username])], by=moderator)
    services.carry_out_order(order, by=moderator)
    action = order.items.get().action
    assert services.appealable(action, user=writer) is None


def test_an_order_whose_suspension_end_passed_changes_nothing(moderator, writer):
    order = _order(
        [reverse("articles:author", args=[writer.username])],
        by=moderator,
        account_suspended_until=timezone.now() - timezone.timedelta(hours=1),
    )
    with pytest.raises(ValidationError):
        services.carry_out_order(order, by=moderator)
    writer.refresh_from_db()
    order.refresh_from_db()
    assert not writer.is_suspended and order.status == "open"


def make_moderator_two():
    from tests.moderation.builders import make_moderator

    return make_moderator(username="mod-dua")


def test_existing_takedowns_move_to_withheld_and_back(moderator, article):
    import importlib

    from django.apps import apps

    order = _order([article.get_absolute_url()], by=moderator)
    GovernmentOrder.objects.filter(pk=order.pk).update(status="done")
    Article.objects.filter(pk=article.pk).update(status="deleted")  # as before the status
    migration = importlib.import_module("rights.migrations.0003_withheld_takedowns")

    migration.to_withheld(apps, None)
    article.refresh_from_db()
    assert article.status == Article.Status.WITHHELD
    migration.to_deleted(apps, None)
    article.refresh_from_db()
    assert article.status == Article.Status.DELETED


def test_overdue_and_due_soon_orders_head_the_moderation_queue(
    client, moderator, article, django_assert_max_num_queries
):
    now = timezone.now()
    _order(
        [article.get_absolute_url()],
        by=moderator,
        urgency="urgent",
        received_at=now - timezone.timedelta(hours=5),
        reference="TELAT-4",
    )
    _order([article.get_absolute_url()], by=moderator, urgency="urgent", reference="SEGERA-4")
    _order([article.get_absolute_url()], by=moderator, reference="NANTI-24")  # 24 h left
    done = _order([article.get_absolute_url()], by=moderator, reference="SELESAI-1")
    services.carry_out_order(done, by=moderator)
    client.force_login(moderator)

    page = client.get(reverse("admin:moderation_case_changelist")).content.decode()

    start = page.index('id="orders-due"')
    section = page[start : page.index("</section>", start)]
    assert section.index("TELAT-4") < section.index("SEGERA-4")
    assert "NANTI-24" not in section and "SELESAI-1" not in section
    assert "terlambat 1 jam" in section and "tersisa 3 jam" in section
    assert start < page.index('id="changelist"')  # above the queue itself
    # The block costs one query, however many orders are open.
    for number in range(12):
        _order(
            [article.get_absolute_url()],
            by=moderator,
            urgency="urgent",
            reference=f"BANYAK-{number}",
        )
    with django_assert_max_num_queries(25):
        page = client.get(reverse("admin:moderation_case_changelist")).content.decode()
    assert "Perintah terbuka lainnya" in page


def test_an_empty_clock_shows_nothing_atop_the_queue(client, moderator):
    client.force_login(moderator)
    page = client.get(reverse("admin:moderation_case_changelist")).content.decode()
    assert 'id="orders-due"' not in page
