"""Reporting, Laporan Saya, and what every page shows after a moderator acts, over HTTP."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from articles.models import Article
from comments.models import CommentStatus
from moderation import services
from moderation.models import Reason, Report
from moderation.views import REPORTS_PER_PAGE
from tests.factories import BROWSER, make_article, make_user

from .builders import let_the_reply_wait_pass, make_comment, make_established_user, report

pytestmark = pytest.mark.django_db

PUBLIC_REASON = "Artikel ini menyebarkan kabar bohong tentang banjir."
INTERNAL_NOTE = "Sudah dicek ke BPBD; sumbernya akun palsu."


def indonesian(message: str) -> str:
    """The message as the Indonesian pages show it (English until the catalogue has it)."""
    with translation.override("id"):
        return gettext(message)


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def login_redirect(url: str) -> str:
    return f"{reverse('account_login')}?next={url}"


def article_url(article) -> str:
    return reverse("moderation:report_article", args=[article.pk])


def comment_url(comment) -> str:
    return reverse("moderation:report_comment", args=[comment.pk])


def account_url(user) -> str:
    return reverse("moderation:report_account", args=[user.username])


@pytest.fixture
def signed_in(client, reader):
    client.force_login(reader)
    return client


@pytest.fixture
def report_urls(article, comment, writer):
    return {
        "article": (article_url(article), article.get_absolute_url(), {"article": article}),
        "comment": (comment_url(comment), comment.get_absolute_url(), {"comment": comment}),
        "account": (account_url(writer), writer.get_absolute_url(), {"account": writer}),
    }


TARGETS = ["article", "comment", "account"]


# The report form


@pytest.mark.parametrize("target", TARGETS)
def test_the_report_form_asks_for_a_reason(signed_in, report_urls, target):
    url, _, _ = report_urls[target]

    response = signed_in.get(url)

    assert response.status_code == 200
    html = response.content.decode()
    assert indonesian("Reason") in html
    for reason in Reason:
        assert f'value="{reason.value}"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    title = "Report account" if target == "account" else "Report content"
    assert indonesian(title) in html


@pytest.mark.parametrize("target", TARGETS)
def test_a_report_is_received_and_the_reader_returns_to_the_target(
    signed_in, reader, report_urls, target
):
    url, back, lookup = report_urls[target]

    response = signed_in.post(url, {"reason": Reason.HARASSMENT, "details": "Menghina warga."})

    assert response.status_code == 302
    assert response["Location"] == back
    made = Report.objects.get(**lookup)
    assert (made.reporter, made.reason, made.details) == (
        reader,
        Reason.HARASSMENT,
        "Menghina warga.",
    )
    [message] = messages_of(response)
    assert message == indonesian(
        "Thank you: your report was received. Our moderators will review it; "
        "you can follow it on My reports."
    )


@pytest.mark.parametrize("reason", Reason.values)
def test_every_reason_is_accepted_from_the_form(signed_in, article, reason):
    response = signed_in.post(article_url(article), {"reason": reason, "details": "Rinciannya."})

    assert response.status_code == 302
    assert Report.objects.get().reason == reason


@pytest.mark.parametrize("target", TARGETS)
def test_anonymous_readers_are_sent_to_sign_in(client, report_urls, target):
    url, _, _ = report_urls[target]

    assert client.get(url)["Location"] == login_redirect(url)
    assert client.post(url, {"reason": Reason.SPAM})["Location"] == login_redirect(url)
    assert not Report.objects.exists()


def test_my_reports_needs_sign_in(client):
    url = reverse("moderation:my_reports")
    assert client.get(url)["Location"] == login_redirect(url)


def test_an_unknown_reason_is_refused_with_a_message(signed_in, article):
    response = signed_in.post(article_url(article), {"reason": "tidak-suka"})

    assert response.status_code == 400
    assert indonesian("Choose one of the listed reasons.") in response.content.decode()
    assert not Report.objects.exists()


def test_other_without_details_is_refused_with_a_message(signed_in, article):
    response = signed_in.post(article_url(article), {"reason": Reason.OTHER, "details": " "})

    assert response.status_code == 400
    assert indonesian("Tell us what is wrong when you choose “Other”.") in (
        response.content.decode()
    )
    assert not Report.objects.exists()


def test_a_second_report_says_it_is_already_reported(signed_in, article):
    signed_in.post(article_url(article), {"reason": Reason.SPAM})

    response = signed_in.post(article_url(article), {"reason": Reason.HOAX})

    assert response.status_code == 302
    assert messages_of(response)[-1] == indonesian(
        "You have already reported this. Our moderators will look at it."
    )
    assert Report.objects.count() == 1
    page = signed_in.get(article_url(article))
    assert 'name="reason"' not in page.content.decode()  # the form gives way to the status


@pytest.mark.parametrize("target", TARGETS)
def test_reporting_your_own_content_is_refused(client, writer, comment, report_urls, target):
    url, back, _ = report_urls[target]
    client.force_login(comment.author if target == "comment" else writer)

    response = client.post(url, {"reason": Reason.SPAM})

    assert response.status_code == 302
    assert response["Location"] == back
    assert messages_of(response) == [indonesian("You cannot report your own content or account.")]
    assert not Report.objects.exists()


def test_the_eleventh_report_in_a_minute_is_429(signed_in, writer):
    articles = [make_article(author=writer) for _ in range(11)]
    for article in articles[:10]:
        assert signed_in.post(article_url(article), {"reason": Reason.SPAM}).status_code == 302

    response = signed_in.post(article_url(articles[10]), {"reason": Reason.SPAM})

    assert response.status_code == 429
    assert (
        indonesian("You are sending reports too quickly. Please wait a minute and try again.")
        in response.content.decode()
    )
    assert Report.objects.count() == 10


@pytest.mark.parametrize(
    "status", [Article.Status.DRAFT, Article.Status.HIDDEN, Article.Status.DELETED]
)
def test_an_article_the_reader_cannot_see_is_404(signed_in, writer, status):
    article = make_article(author=writer, status=status)

    assert signed_in.get(article_url(article)).status_code == 404
    assert signed_in.post(article_url(article), {"reason": Reason.SPAM}).status_code == 404
    assert not Report.objects.exists()


def test_your_own_draft_is_404_too(client, writer):
    draft = make_article(author=writer, status=Article.Status.DRAFT)
    client.force_login(writer)

    assert client.post(article_url(draft), {"reason": Reason.SPAM}).status_code == 404


@pytest.mark.parametrize("status", [s for s in CommentStatus.values if s != "visible"])
def test_a_removed_comment_is_404(signed_in, comment, status):
    comment.status = status
    comment.save(update_fields=["status"])

    assert signed_in.post(comment_url(comment), {"reason": Reason.SPAM}).status_code == 404


def test_a_comment_on_an_unpublished_article_is_404(signed_in, writer):
    draft = make_article(author=writer)
    comment = make_comment(draft)
    Article.objects.filter(pk=draft.pk).update(status=Article.Status.DRAFT)

    assert signed_in.get(comment_url(comment)).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        reverse("moderation:report_article", args=[999999]),
        reverse("moderation:report_comment", args=[999999]),
        reverse("moderation:report_account", args=["tidak-ada"]),
    ],
)
def test_unknown_targets_are_404(signed_in, url):
    assert signed_in.get(url).status_code == 404
    assert signed_in.post(url, {"reason": Reason.SPAM}).status_code == 404


def test_an_inactive_account_is_404(signed_in):
    gone = make_user(is_active=False)

    assert signed_in.post(account_url(gone), {"reason": Reason.SPAM}).status_code == 404


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_other_methods_are_refused_with_405(signed_in, article, method):
    assert getattr(signed_in, method)(article_url(article)).status_code == 405


def test_my_reports_is_read_only(signed_in):
    assert signed_in.post(reverse("moderation:my_reports")).status_code == 405


def test_the_form_needs_a_csrf_token(reader, article):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(reader)

    response = strict.post(article_url(article), {"reason": Reason.SPAM})

    assert response.status_code == 403
    assert not Report.objects.exists()


# Report links on the pages


def test_the_article_page_links_to_both_report_forms_for_readers(signed_in, article, writer):
    html = signed_in.get(article.get_absolute_url()).content.decode()

    assert article_url(article) in html
    assert account_url(writer) in html


def test_the_author_sees_no_report_links_on_their_article(client, article, writer):
    client.force_login(writer)

    html = client.get(article.get_absolute_url()).content.decode()

    assert article_url(article) not in html


def test_the_author_page_links_to_report_the_account(signed_in, writer):
    html = signed_in.get(writer.get_absolute_url()).content.decode()

    assert account_url(writer) in html


def test_comments_link_to_their_report_form(signed_in, article, comment):
    html = signed_in.get(article.get_absolute_url()).content.decode()

    assert comment_url(comment) in html


def test_the_account_menu_links_to_my_reports(signed_in):
    html = signed_in.get(reverse("articles:home")).content.decode()

    assert reverse("moderation:my_reports") in html


# Laporan Saya


def test_my_reports_shows_each_status_and_the_public_reason(signed_in, reader, writer, moderator):
    waiting = report(make_article(author=writer, title="Tunggu"), reporter=reader)
    reviewed = report(make_article(author=writer, title="Ditinjau"), reporter=reader)
    services.start_review(reviewed.case, moderator=moderator)
    hidden = report(make_article(author=writer, title="Disembunyikan"), reporter=reader)
    let_the_reply_wait_pass(hidden.case)
    services.hide_target(
        hidden.case,
        moderator=moderator,
        rule=Reason.HOAX,
        public_reason=PUBLIC_REASON,
        internal_reason=INTERNAL_NOTE,
    )
    dismissed = report(writer, reporter=reader)
    services.dismiss_reports(
        dismissed.case, moderator=moderator, public_reason="Tidak melanggar aturan."
    )
    someone_elses = report(make_article(author=writer, title="Laporan orang lain"))

    response = signed_in.get(reverse("moderation:my_reports"))

    assert response.status_code == 200
    html = response.content.decode()
    for made in [waiting, reviewed, hidden, dismissed]:
        assert f'data-report="{made.pk}"' in html
    assert f'data-report="{someone_elses.pk}"' not in html
    for status in Report.Status:
        assert indonesian(status.label) in html
    assert PUBLIC_REASON in html
    assert "Tidak melanggar aturan." in html
    assert indonesian(Reason.HOAX.label) in html
    assert INTERNAL_NOTE not in html


def test_my_reports_is_paginated(signed_in, reader, writer, django_assert_max_num_queries):
    for _ in range(REPORTS_PER_PAGE + 5):
        report(make_article(author=writer), reporter=reader)

    # Session user + count + the page of reports (targets and outcome joined)
    # + header topics + the bell's unread count.
    with django_assert_max_num_queries(5):
        first = signed_in.get(reverse("moderation:my_reports"))
    second = signed_in.get(reverse("moderation:my_reports"), {"halaman": 2})

    assert first.content.decode().count("data-report=") == REPORTS_PER_PAGE
    assert second.content.decode().count("data-report=") == 5
    assert signed_in.get(reverse("moderation:my_reports"), {"halaman": 9}).status_code == 404


# What each action does to the pages


def hide(case, moderator, **kwargs):
    let_the_reply_wait_pass(case)
    return services.hide_target(
        case,
        moderator=moderator,
        rule=kwargs.get("rule", Reason.HOAX),
        public_reason=kwargs.get("public_reason", PUBLIC_REASON),
        internal_reason=INTERNAL_NOTE,
    )


def list_urls(article, writer):
    return [
        reverse("articles:home"),
        article.topic.get_absolute_url(),
        reverse("articles:tag", args=["banjir"]),
        writer.get_absolute_url(),
    ]


def test_a_hidden_article_leaves_every_list_and_shows_the_rule_in_its_place(
    client, article, writer, moderator
):
    case = report(article).case

    hide(case, moderator)

    response = client.get(article.get_absolute_url(), headers={"user-agent": BROWSER})
    assert response.status_code == 410
    html = response.content.decode()
    assert indonesian(Reason.HOAX.label) in html
    assert PUBLIC_REASON in html
    assert INTERNAL_NOTE not in html
    assert "Isi artikel" not in html
    for url in list_urls(article, writer):
        page = client.get(url)
        assert page.status_code == 200, url
        assert article.title not in page.content.decode(), url


def test_the_author_and_moderators_still_see_the_hidden_article(client, article, writer, moderator):
    hide(report(article).case, moderator)

    for person in [writer, moderator]:
        client.force_login(person)
        response = client.get(article.get_absolute_url())
        assert response.status_code == 200
        assert article.body_html in response.content.decode()


def test_restoring_brings_the_article_back_everywhere(client, article, writer, moderator):
    case = report(article).case
    hide(case, moderator)

    services.restore_target(case, moderator=moderator, public_reason="Sudah diperbaiki.")

    assert client.get(article.get_absolute_url()).status_code == 200
    for url in list_urls(article, writer):
        assert article.title in client.get(url).content.decode(), url


def test_an_automatically_hidden_article_says_it_awaits_review(client, article):
    for _ in range(3):
        report(article, reporter=make_established_user(), reason=Reason.SARA)

    response = client.get(article.get_absolute_url())

    assert response.status_code == 410
    html = response.content.decode()
    assert (
        indonesian(
            "Several readers reported this article, so it is hidden until our moderators have "
            "reviewed it."
        )
        in html
    )
    assert indonesian(Reason.SARA.label) in html


def test_a_hidden_comment_leaves_a_placeholder_while_it_has_replies(
    client, article, comment, moderator
):
    reply = make_comment(article, reply_to=comment, body="Balasan yang sopan")
    lonely = make_comment(article, body="Komentar tanpa balasan")

    hide(report(comment).case, moderator)
    hide(report(lonely).case, moderator)

    html = client.get(article.get_absolute_url()).content.decode()
    assert indonesian("This comment was hidden by a moderator.") in html
    assert "Komentar kasar" not in html
    assert "Komentar tanpa balasan" not in html
    assert reply.body in html
    article.refresh_from_db()
    assert article.comment_count == 1


def test_a_restored_comment_shows_again(client, article, comment, moderator):
    case = report(comment).case
    hide(case, moderator)

    services.restore_target(case, moderator=moderator, public_reason="Tidak melanggar.")

    assert "Komentar kasar" in client.get(article.get_absolute_url()).content.decode()


def test_the_author_dashboard_lists_what_was_hidden_and_why(client, article, writer, moderator):
    hide(report(article).case, moderator)
    services.warn_account(
        report(writer).case, moderator=moderator, rule=Reason.SPAM, public_reason="Jangan spam."
    )
    client.force_login(writer)

    html = client.get(reverse("articles:dashboard")).content.decode()

    assert html.count("data-notice=") == 2
    assert PUBLIC_REASON in html
    assert "Jangan spam." in html
    assert indonesian(Reason.HOAX.label) in html
    assert INTERNAL_NOTE not in html


def test_other_people_do_not_see_the_authors_notices(signed_in, article, moderator):
    hide(report(article).case, moderator)

    html = signed_in.get(reverse("articles:dashboard")).content.decode()

    assert "data-notice=" not in html


# Suspension


def test_a_suspension_ends_the_authors_sessions_and_refuses_sign_in(client, writer, moderator):
    client.force_login(writer)
    assert client.get(reverse("articles:dashboard")).status_code == 200

    services.suspend_account_for(
        report(writer).case,
        moderator=moderator,
        rule=Reason.IMPERSONATION,
        public_reason="Menyamar sebagai pejabat.",
        until=timezone.now() + timedelta(days=3),
    )

    assert client.get(reverse("articles:dashboard"))["Location"].startswith(
        reverse("account_login")
    )
    assert not client.login(username="penulis", password="kata-sandi-uji")
    response = client.post(
        reverse("account_login"), {"login": "penulis", "password": "kata-sandi-uji"}
    )
    assert response.status_code == 403
    assert indonesian("Account suspended") in response.content.decode()
    assert client.get(reverse("articles:dashboard"))["Location"].startswith(
        reverse("account_login")
    )


def test_a_suspended_authors_content_stays_as_it_was(client, article, writer, moderator):
    services.suspend_account_for(
        report(writer).case, moderator=moderator, rule=Reason.SPAM, public_reason="Spam."
    )

    assert client.get(article.get_absolute_url()).status_code == 200
