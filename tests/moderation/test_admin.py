"""The moderation queue in the admin: who gets in, what it shows, what its buttons do."""

from datetime import timedelta

import pytest
from django.contrib.admin import helpers
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.services import save_article
from comments.models import CommentStatus
from moderation import services
from moderation.access import MODERATOR_GROUP, is_moderator
from moderation.models import Case, ModerationAction, Reason, Report
from tests.factories import make_article, make_user

from .builders import (
    let_the_reply_wait_pass,
    make_comment,
    make_established_user,
    make_moderator,
    make_new_user,
    report,
)

pytestmark = pytest.mark.django_db

Kind = ModerationAction.Kind
QUEUE = reverse("admin:moderation_case_changelist")


def case_url(case) -> str:
    return reverse("admin:moderation_case_change", args=[case.pk])


def act_url(case, kind) -> str:
    return reverse("admin:moderation_case_act", args=[case.pk, kind])


def is_admin_login_redirect(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))


@pytest.fixture
def case(article):
    """A reported article whose author's right-of-reply wait is over."""
    return let_the_reply_wait_pass(report(article, reason=Reason.HOAX).case)


@pytest.fixture
def people(db, reader, moderator, staff_without_group, superuser):
    return {
        "reader": reader,
        "staff without the group": staff_without_group,
        "moderator": moderator,
        "superuser": superuser,
    }


# Who may do what


def test_the_moderator_group_has_exactly_what_the_queue_needs():
    group = Group.objects.get(name=MODERATOR_GROUP)

    granted = {
        f"{p.content_type.app_label}.{p.codename}"
        for p in group.permissions.select_related("content_type")
    }

    assert granted == {
        "moderation.view_case",
        "moderation.change_case",
        "moderation.view_report",
        "moderation.view_moderationaction",
        "accounts.view_user",
        "articles.view_article",
        # Editorial labels (Pilihan, Artikel Utama), audited.
        "articles.label_article",
        "articles.view_editorialdecision",
        "comments.view_comment",
        # The held queue (trust app): view it, release or reject, see level changes.
        "trust.view_helditem",
        "trust.change_helditem",
        "trust.view_trustchange",
        "trust.view_signupaddress",
        # Legal orders, appeals, correction requests, the right of reply (rights app).
        "rights.view_governmentorder",
        "rights.add_governmentorder",
        "rights.change_governmentorder",
        "rights.view_ordertarget",
        "rights.view_appeal",
        "rights.change_appeal",
        "rights.view_correctionrequest",
        "rights.change_correctionrequest",
        "rights.view_rightofreply",
        "trust.change_signupaddress",
    }


def test_only_staff_in_the_group_are_moderators(reader, moderator, staff_without_group):
    assert is_moderator(moderator)
    assert not is_moderator(staff_without_group)
    assert not is_moderator(reader)
    reader.groups.add(Group.objects.get(name=MODERATOR_GROUP))  # not staff
    assert not is_moderator(reader)


PAGES = {
    "queue": lambda case: QUEUE,
    "case page": case_url,
    "reports": lambda case: reverse("admin:moderation_report_changelist"),
    "audit records": lambda case: reverse("admin:moderation_moderationaction_changelist"),
    "comments": lambda case: reverse("admin:comments_comment_changelist"),
}


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize(
    ("person", "expected"),
    [
        ("anonymous", "login"),
        ("reader", "login"),
        ("staff without the group", 403),
        ("moderator", 200),
        ("superuser", 200),
    ],
)
def test_admin_pages_permission_matrix(client, people, case, page, person, expected):
    if person != "anonymous":
        client.force_login(people[person])

    response = client.get(PAGES[page](case))

    if expected == "login":
        assert is_admin_login_redirect(response)
    else:
        assert response.status_code == expected


@pytest.mark.parametrize(
    ("person", "expected"),
    [
        ("anonymous", "login"),
        ("reader", "login"),
        ("staff without the group", 403),
        ("moderator", 302),
        ("superuser", 302),
    ],
)
def test_action_posts_permission_matrix(client, people, case, article, person, expected):
    if person != "anonymous":
        client.force_login(people[person])

    response = client.post(
        act_url(case, Kind.HIDE), {"rule": Reason.HOAX, "public_reason": "Kabar bohong."}
    )

    article.refresh_from_db()
    if expected == "login":
        assert is_admin_login_redirect(response)
    else:
        assert response.status_code == expected
    hidden = expected == 302
    assert (article.status == Article.Status.HIDDEN) is hidden
    assert ModerationAction.objects.filter(kind=Kind.HIDE).count() == int(hidden)


@pytest.mark.parametrize(
    ("person", "expected"),
    [("reader", "login"), ("staff without the group", 403), ("moderator", 200)],
)
def test_bulk_action_permission_matrix(client, people, case, person, expected):
    client.force_login(people[person])

    response = client.post(
        QUEUE, {"action": "hide_selected", helpers.ACTION_CHECKBOX_NAME: [case.pk]}
    )

    if expected == "login":
        assert is_admin_login_redirect(response)
    else:
        assert response.status_code == expected
    assert not ModerationAction.objects.exists()


def test_the_action_endpoint_refuses_get_with_405(client, moderator, case):
    client.force_login(moderator)

    assert client.get(act_url(case, Kind.HIDE)).status_code == 405


def test_the_case_page_takes_no_post(client, moderator, case):
    client.force_login(moderator)

    assert client.post(case_url(case), {"status": "closed"}).status_code == 405
    case.refresh_from_db()
    assert case.status == Case.Status.OPEN


def test_an_unknown_action_is_404(client, moderator, case):
    client.force_login(moderator)

    assert client.post(act_url(case, "delete"), {"public_reason": "x"}).status_code == 404


def test_an_unknown_case_is_404(client, moderator):
    client.force_login(moderator)

    assert client.get(reverse("admin:moderation_case_change", args=[99999])).status_code == 404


@pytest.mark.parametrize("person", ["moderator", "superuser"])
def test_audit_records_are_never_edited_or_deleted_in_the_admin(client, people, case, person):
    action = services.dismiss_reports(
        case, moderator=make_moderator(), public_reason="Tidak melanggar."
    )
    client.force_login(people[person])
    change = reverse("admin:moderation_moderationaction_change", args=[action.pk])

    page = client.get(change)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert client.post(change, {"public_reason": "diubah"}).status_code == 403
    delete = reverse("admin:moderation_moderationaction_delete", args=[action.pk])
    assert client.get(delete).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert client.get(reverse("admin:moderation_moderationaction_add")).status_code == 403
    action.refresh_from_db()
    assert action.public_reason == "Tidak melanggar."


@pytest.mark.parametrize("person", ["moderator", "superuser"])
def test_reports_and_cases_are_not_added_or_deleted_in_the_admin(client, people, case, person):
    client.force_login(people[person])
    made = case.reports.get()

    assert client.get(reverse("admin:moderation_report_add")).status_code == 403
    assert (
        client.post(
            reverse("admin:moderation_report_delete", args=[made.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert (
        client.post(
            reverse("admin:moderation_report_change", args=[made.pk]), {"reason": "spam"}
        ).status_code
        == 403
    )
    assert client.get(reverse("admin:moderation_case_add")).status_code == 403
    assert (
        client.post(
            reverse("admin:moderation_case_delete", args=[case.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert Report.objects.filter(pk=made.pk, reason=Reason.HOAX).exists()


def test_moderators_cannot_change_comments_or_articles_by_hand(client, moderator, comment, article):
    client.force_login(moderator)

    response = client.post(
        reverse("admin:comments_comment_change", args=[comment.pk]), {"status": "hidden_moderator"}
    )
    assert response.status_code == 403
    response = client.post(
        reverse("admin:articles_article_change", args=[article.pk]), {"status": "hidden"}
    )
    assert response.status_code == 403
    comment.refresh_from_db()
    article.refresh_from_db()
    assert comment.status == CommentStatus.VISIBLE
    assert article.status == Article.Status.PUBLISHED


# The queue


def build_cases(count: int, writer) -> list[Case]:
    """``count`` cases spread over the three kinds of target, each with a few reports."""
    cases = []
    for number in range(count):
        kind = number % 3
        if kind == 0:
            target = make_article(author=writer)
        elif kind == 1:
            target = make_comment(make_article(author=writer))
        else:
            target = make_established_user()
        for reason in [Reason.SPAM, Reason.SARA][: 1 + number % 2]:
            cases.append(report(target, reason=reason, reporter=make_new_user()).case)
    return list({case.pk: case for case in cases}.values())


# Session user + the moderator's permissions (user and group) + the count
# + the page of cases (targets and author joined) + their open reports
# (one prefetch) + the legal orders due soon or overdue, shown atop the queue
# (rights; README "People's rights"). The session lives in the cache.
QUEUE_QUERIES = 7


@pytest.mark.parametrize("count", [5, 30])
def test_queue_query_count_is_pinned(
    client, moderator, writer, django_assert_max_num_queries, count
):
    build_cases(count, writer)
    client.force_login(moderator)

    with django_assert_max_num_queries(QUEUE_QUERIES):
        response = client.get(QUEUE)

    assert response.status_code == 200
    assert response.context["cl"].result_count == count


def test_queue_query_count_does_not_grow_with_cases(client, moderator, writer):
    client.force_login(moderator)

    def measure() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(QUEUE).status_code == 200
        return len(queries)

    build_cases(5, writer)
    few = measure()
    build_cases(25, writer)
    assert measure() == few


def test_the_queue_is_one_row_per_target_most_urgent_first(client, moderator, writer):
    one_spam = report(make_article(author=writer, title="Satu spam"), reason=Reason.SPAM).case
    one_sara = report(make_article(author=writer, title="Satu SARA"), reason=Reason.SARA).case
    crowded = make_article(author=writer, title="Banyak pelapor")
    for _ in range(2):
        report(crowded, reason=Reason.SPAM, reporter=make_new_user())
    crowded_case = Case.objects.get(article=crowded)
    older_spam = report(make_article(author=writer, title="Spam lama"), reason=Reason.SPAM).case
    Case.objects.filter(pk=older_spam.pk).update(
        first_reported_at=timezone.now() - timedelta(days=2)
    )
    client.force_login(moderator)

    response = client.get(QUEUE)

    rows = [case.pk for case in response.context["cl"].result_list]
    assert rows == [crowded_case.pk, one_sara.pk, older_spam.pk, one_spam.pk]


def test_the_queue_shows_counts_reasons_and_the_target(client, moderator, article):
    report(article, reason=Reason.SARA)
    report(article, reason=Reason.SPAM)
    report(article, reason=Reason.SARA)
    client.force_login(moderator)

    html = client.get(QUEUE).content.decode()

    assert article.title in html
    assert "SARA" in html and "(2)" in html and "(1)" in html
    assert 'class="quiet"' in html  # the type and the live state under each entry


def test_the_queue_opens_on_what_needs_review_and_filters(client, moderator, writer, article):
    open_case = report(article, reason=Reason.SARA).case
    comment_case = report(make_comment(article), reason=Reason.SPAM).case
    closed = report(make_article(author=writer, title="Sudah selesai")).case
    services.dismiss_reports(closed, moderator=moderator, public_reason="Tidak melanggar.")
    client.force_login(moderator)

    def listed(**query):
        return {case.pk for case in client.get(QUEUE, query).context["cl"].result_list}

    assert listed() == {open_case.pk, comment_case.pk}
    assert listed(status="closed") == {closed.pk}
    assert listed(status="all") == {open_case.pk, comment_case.pk, closed.pk}
    assert listed(reason="sara") == {open_case.pk}
    assert listed(target_type="comment") == {comment_case.pk}


def test_the_queue_shows_automatic_hides(client, moderator, article):
    for _ in range(3):
        report(article, reporter=make_established_user())
    client.force_login(moderator)

    response = client.get(QUEUE, {"status": "auto_hidden"})

    assert [c.pk for c in response.context["cl"].result_list] == [Case.objects.get().pk]
    assert 'class="case-auto-hidden"' in response.content.decode()


# The case page


def test_the_case_page_shows_each_snapshot_beside_the_live_content(
    client, moderator, article, writer
):
    first = report(article, reason=Reason.HOAX, details="Sumbernya tidak ada.")
    save_article(
        article,
        author=writer,
        data={
            "title": "Judul yang sudah diganti",
            "topic": article.topic,
            "excerpt": "",
            "body": "<p>Isi yang sudah diganti.</p>",
            "cover_caption": "",
            "cover_credit": "",
        },
        tags=[],
    )
    second = report(article, reason=Reason.SPAM)
    client.force_login(moderator)

    response = client.get(case_url(first.case))

    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-report="{first.pk}"' in html and f'data-report="{second.pk}"' in html
    assert "Banjir di kampung kami" in html  # the first snapshot
    assert "Judul yang sudah diganti" in html  # the live title and the second snapshot
    assert "Isi yang sudah diganti." in html
    assert "Sumbernya tidak ada." in html
    assert html.count('class="case-changed"') == 1
    assert article.get_absolute_url() in html  # open the live page


def test_the_case_page_shows_the_authors_history(client, moderator, article, writer):
    earlier = report(make_article(author=writer, title="Artikel lama")).case
    services.warn_account(
        earlier, moderator=moderator, rule=Reason.SPAM, public_reason="Peringatan pertama."
    )
    case = report(article).case
    client.force_login(moderator)

    html = client.get(case_url(case)).content.decode()

    assert "Peringatan pertama." in html
    assert "Artikel lama" in html


def test_the_case_page_offers_the_actions_that_fit(client, moderator, case, writer):
    client.force_login(moderator)

    offered = {kind for kind, *_ in client.get(case_url(case)).context["action_forms"]}

    assert offered == {Kind.REVIEW, Kind.HIDE, Kind.DISMISS, Kind.WARN, Kind.SUSPEND}


def test_a_moderator_cannot_act_on_a_case_about_themselves(client, moderator):
    case = report(make_article(author=moderator)).case
    client.force_login(moderator)

    response = client.get(case_url(case))
    assert response.context["action_forms"] == []
    client.post(act_url(case, Kind.DISMISS), {"public_reason": "Bukan masalah."})
    assert not ModerationAction.objects.exists()


# The case page's actions


def test_hiding_from_the_case_page_calls_the_service(client, moderator, case, article):
    client.force_login(moderator)

    response = client.post(
        act_url(case, Kind.HIDE),
        {"rule": Reason.HOAX, "public_reason": "Kabar bohong.", "internal_reason": "Cek BPBD."},
    )

    assert response.status_code == 302
    assert response["Location"] == case_url(case) + "#content-start"
    article.refresh_from_db()
    action = ModerationAction.objects.get()
    assert article.status == Article.Status.HIDDEN
    assert (action.kind, action.moderator, action.public_reason) == (
        Kind.HIDE,
        moderator,
        "Kabar bohong.",
    )
    assert action.resolved_reports.count() == 1


@pytest.mark.parametrize("kind", [Kind.HIDE, Kind.DISMISS, Kind.WARN, Kind.SUSPEND])
def test_every_action_needs_a_reason(client, moderator, case, article, kind):
    client.force_login(moderator)

    response = client.post(act_url(case, kind), {"rule": Reason.HOAX, "public_reason": ""})

    assert response.status_code == 400
    assert not ModerationAction.objects.exists()
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED


def test_suspending_until_a_date_from_the_case_page(client, moderator, writer):
    case = report(writer, reason=Reason.IMPERSONATION).case
    until = timezone.localtime() + timedelta(days=10)
    client.force_login(moderator)

    response = client.post(
        act_url(case, Kind.SUSPEND),
        {
            "rule": Reason.IMPERSONATION,
            "public_reason": "Menyamar.",
            "until": until.strftime("%Y-%m-%dT%H:%M"),
        },
    )

    assert response.status_code == 302
    writer.refresh_from_db()
    assert writer.is_suspended and not writer.suspended_indefinitely
    # To the minute, in the site's time zone (UTC's date differs from Jakarta's
    # for seven hours of each day).
    assert timezone.localtime(writer.suspended_until) == until.replace(second=0, microsecond=0)


def test_an_action_that_no_longer_fits_says_so(client, moderator, case):
    services.hide_target(case, moderator=moderator, rule=Reason.HOAX, public_reason="Hoaks.")
    client.force_login(moderator)

    response = client.post(
        act_url(case, Kind.HIDE), {"rule": Reason.HOAX, "public_reason": "Lagi."}, follow=True
    )

    assert ModerationAction.objects.count() == 1
    assert any(m.level_tag == "error" for m in response.context["messages"])


# Bulk actions


def test_a_bulk_action_asks_for_the_reason_first(client, moderator, writer):
    cases = build_cases(3, writer)
    client.force_login(moderator)

    response = client.post(
        QUEUE,
        {"action": "dismiss_selected", helpers.ACTION_CHECKBOX_NAME: [c.pk for c in cases]},
    )

    assert response.status_code == 200
    assert 'name="public_reason"' in response.content.decode()
    assert not ModerationAction.objects.exists()


def test_a_bulk_hide_calls_the_service_for_each_case(client, moderator, writer):
    articles = [make_article(author=writer) for _ in range(3)]
    cases = [let_the_reply_wait_pass(report(a).case) for a in articles]
    account_case = report(writer).case
    client.force_login(moderator)

    response = client.post(
        QUEUE,
        {
            "action": "hide_selected",
            "apply": "1",
            "rule": Reason.SPAM,
            "public_reason": "Spam massal.",
            helpers.ACTION_CHECKBOX_NAME: [c.pk for c in [*cases, account_case]],
        },
    )

    assert response.status_code == 302
    assert ModerationAction.objects.filter(kind=Kind.HIDE).count() == 3
    assert Article.objects.filter(status=Article.Status.HIDDEN).count() == 3
    account_case.refresh_from_db()
    assert account_case.status == Case.Status.OPEN  # an account is not hidden: skipped


def test_a_bulk_action_without_a_reason_changes_nothing(client, moderator, writer):
    cases = build_cases(3, writer)
    client.force_login(moderator)

    response = client.post(
        QUEUE,
        {
            "action": "warn_selected",
            "apply": "1",
            "rule": Reason.SPAM,
            "public_reason": "",
            helpers.ACTION_CHECKBOX_NAME: [c.pk for c in cases],
        },
    )

    assert response.status_code == 400
    assert not ModerationAction.objects.exists()


def test_superusers_see_the_audit_records(client, superuser, case):
    services.dismiss_reports(case, moderator=make_moderator(), public_reason="Bukan pelanggaran.")
    client.force_login(superuser)

    html = client.get(reverse("admin:moderation_moderationaction_changelist")).content.decode()

    assert "Bukan pelanggaran." in html


def test_a_plain_reader_never_reaches_the_admin(client, reader, case):
    client.force_login(reader)
    for url in [QUEUE, case_url(case), act_url(case, Kind.HIDE)]:
        assert is_admin_login_redirect(client.get(url))
    assert make_user().is_staff is False
