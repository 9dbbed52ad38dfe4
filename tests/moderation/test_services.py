"""Business rules of reporting and moderating, through moderation.services."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext

from accounts.services import update_profile
from articles.models import Article
from articles.services import delete_article, save_article
from comments.models import CommentStatus
from comments.services import delete_comment, edit_comment
from moderation import services
from moderation.models import SEVERITY, Case, ModerationAction, Reason, Report
from tests.factories import make_article, make_user

from .builders import (
    let_the_reply_wait_pass,
    make_established_user,
    make_moderator,
    make_new_user,
    report,
)

pytestmark = pytest.mark.django_db

Kind = ModerationAction.Kind
TARGETS = ["article", "comment", "account"]


@pytest.fixture
def targets(article, comment, writer):
    return {"article": article, "comment": comment, "account": writer}


def details_for(reason):
    return "Isinya menyesatkan pembaca." if reason == Reason.OTHER else ""


# Filing reports


@pytest.mark.parametrize("target_name", TARGETS)
@pytest.mark.parametrize("reason", Reason.values)
def test_each_reason_can_be_reported_about_each_kind_of_target(
    targets, reader, target_name, reason
):
    target = targets[target_name]

    made = report(target, reporter=reader, reason=reason, details=details_for(reason))

    made.refresh_from_db()
    assert made.target == target
    assert made.reason == reason
    assert made.severity == SEVERITY[reason]
    assert made.status == Report.Status.RECEIVED
    case = made.case
    assert case.target == target
    assert case.target_type == target_name
    assert (case.open_report_count, case.reporter_count, case.max_severity) == (
        1,
        1,
        SEVERITY[reason],
    )
    assert case.status == Case.Status.OPEN


@pytest.mark.parametrize("target_name", TARGETS)
def test_other_needs_details(targets, reader, target_name):
    with pytest.raises(ValidationError):
        report(targets[target_name], reporter=reader, reason=Reason.OTHER, details="   ")
    assert not Report.objects.exists()


def test_an_unknown_reason_is_refused(article, reader):
    with pytest.raises(ValidationError):
        report(article, reporter=reader, reason="tidak-suka")
    assert not Report.objects.exists()


def test_details_longer_than_the_limit_are_refused(article, reader):
    with pytest.raises(ValidationError):
        report(article, reporter=reader, reason=Reason.OTHER, details="x" * 1001)


def test_details_are_kept_as_plain_text(article, reader):
    made = report(article, reporter=reader, reason=Reason.OTHER, details="  <b>fitnah</b>  ")

    assert made.details == "<b>fitnah</b>"


@pytest.mark.parametrize("target_name", TARGETS)
def test_a_second_report_about_the_same_target_says_it_is_already_reported(
    targets, reader, target_name
):
    report(targets[target_name], reporter=reader)

    with pytest.raises(services.AlreadyReported):
        report(targets[target_name], reporter=reader, reason=Reason.HOAX)

    assert Report.objects.count() == 1


def test_a_concurrent_duplicate_is_already_reported_not_an_error(article, reader, monkeypatch):
    report(article, reporter=reader)
    # The other request's report landed after this one's check: only the
    # partial unique constraint sees it.
    monkeypatch.setattr(services, "has_open_report", lambda *args, **kwargs: False)

    with pytest.raises(services.AlreadyReported):
        report(article, reporter=reader, reason=Reason.HOAX)

    assert Report.objects.count() == 1
    assert Case.objects.get().open_report_count == 1


@pytest.mark.parametrize("target_name", TARGETS)
def test_nobody_reports_their_own_content_or_account(targets, target_name):
    target = targets[target_name]
    owner = target if target_name == "account" else target.author

    with pytest.raises(services.OwnContentReport):
        report(target, reporter=owner)

    assert not Report.objects.exists()
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    "status", [Article.Status.DRAFT, Article.Status.HIDDEN, Article.Status.DELETED]
)
def test_only_published_articles_can_be_reported(writer, reader, status):
    article = make_article(author=writer, status=status)

    with pytest.raises(services.TargetNotReportable):
        report(article, reporter=reader)


@pytest.mark.parametrize("status", [s for s in CommentStatus.values if s != "visible"])
def test_only_visible_comments_can_be_reported(comment, reader, status):
    comment.status = status
    comment.save(update_fields=["status"])

    with pytest.raises(services.TargetNotReportable):
        report(comment, reporter=reader)


def test_inactive_accounts_cannot_be_reported(reader):
    gone = make_user(is_active=False)

    with pytest.raises(services.TargetNotReportable):
        report(gone, reporter=reader)


def test_the_case_counts_distinct_reporters_and_keeps_the_gravest_reason(article):
    early = report(article, reason=Reason.SPAM)
    report(article, reason=Reason.SARA)
    late = report(article, reason=Reason.PLAGIARISM, reporter=make_new_user())

    case = Case.objects.get()
    assert case.open_report_count == 3
    assert case.reporter_count == 3
    assert case.established_reporter_count == 2
    assert case.max_severity == SEVERITY[Reason.SARA]
    assert case.first_reported_at == early.created_at
    assert case.last_reported_at == late.created_at


# Rate limits


def test_an_eleventh_report_in_a_minute_is_refused(writer, reader):
    articles = [make_article(author=writer) for _ in range(11)]
    for article in articles[:10]:
        services.report_article(article, reporter=reader, reason=Reason.SPAM)

    with pytest.raises(services.ReportRateLimited) as refused:
        services.report_article(articles[10], reporter=reader, reason=Reason.SPAM)

    assert refused.value.message == gettext(
        "You are sending reports too quickly. Please wait a minute and try again."
    )
    assert Report.objects.count() == 10


def test_a_twenty_first_report_in_a_day_is_refused(writer, reader):
    articles = [make_article(author=writer) for _ in range(21)]
    for number, article in enumerate(articles[:20]):
        if number == 10:
            cache.delete(f"moderation:reports:minute:{reader.pk}")  # a minute later
        services.report_article(article, reporter=reader, reason=Reason.SPAM)
    cache.delete(f"moderation:reports:minute:{reader.pk}")

    with pytest.raises(services.ReportRateLimited) as refused:
        services.report_article(articles[20], reporter=reader, reason=Reason.SPAM)

    assert refused.value.message == gettext(
        "You have sent the most reports allowed in a day. Please try again tomorrow."
    )
    assert Report.objects.count() == 20


def test_rate_limits_are_per_reader(writer, reader):
    articles = [make_article(author=writer) for _ in range(11)]
    for article in articles[:10]:
        services.report_article(article, reporter=reader, reason=Reason.SPAM)

    services.report_article(articles[10], reporter=make_user(), reason=Reason.SPAM)

    assert Report.objects.count() == 11


# Evidence


def test_the_article_snapshot_survives_the_author_editing_and_deleting(article, reader, writer):
    article.body = "<p>Isi asli yang dilaporkan.</p><script>alert(1)</script>"
    article.save()
    made = report(article, reporter=reader, reason=Reason.HOAX)

    save_article(
        article,
        author=writer,
        data={
            "title": "Judul baru yang sopan",
            "topic": article.topic,
            "excerpt": "",
            "body": "<p>Isi yang sudah diganti.</p>",
            "cover_caption": "",
            "cover_credit": "",
        },
        tags=[],
    )
    delete_article(article, by=writer)

    made.refresh_from_db()
    assert made.snapshot_title == "Banjir di kampung kami"
    assert made.snapshot_html == "<p>Isi asli yang dilaporkan.</p>"
    assert made.article.status == Article.Status.DELETED


def test_the_comment_snapshot_survives_the_writer_editing_and_deleting(comment, reader):
    made = report(comment, reporter=reader, reason=Reason.HARASSMENT)

    edit_comment(comment, editor=comment.author, body="Maaf, saya ralat.")
    delete_comment(comment, by=comment.author)

    made.refresh_from_db()
    assert made.snapshot_text == "Komentar kasar"


def test_the_account_snapshot_survives_a_profile_change(writer, reader):
    writer.tagline = "Penyebar kabar"
    writer.bio = "Bio lama"
    writer.avatar = "avatars/2026/11/lama.jpg"
    writer.save()
    made = report(writer, reporter=reader, reason=Reason.IMPERSONATION)

    update_profile(
        writer,
        data={"display_name": "Nama Baru", "occupation": "other", "tagline": "", "bio": ""},
        remove_avatar=True,
    )

    made.refresh_from_db()
    assert (made.snapshot_display_name, made.snapshot_tagline, made.snapshot_bio) == (
        "Penulis Kolom",
        "Penyebar kabar",
        "Bio lama",
    )
    assert made.snapshot_avatar == "avatars/2026/11/lama.jpg"


# Moderator actions


def act(kind, case, moderator, **kwargs):
    service = {
        Kind.REVIEW: services.start_review,
        Kind.HIDE: services.hide_target,
        Kind.RESTORE: services.restore_target,
        Kind.DISMISS: services.dismiss_reports,
        Kind.WARN: services.warn_account,
        Kind.SUSPEND: services.suspend_account_for,
        Kind.LIFT_SUSPENSION: services.lift_account_suspension,
    }[kind]
    if kind != Kind.REVIEW:
        kwargs.setdefault("public_reason", "Melanggar aturan komunitas.")
    if kind in {Kind.HIDE, Kind.WARN, Kind.SUSPEND}:
        kwargs.setdefault("rule", Reason.HOAX)
    if kind == Kind.HIDE:
        let_the_reply_wait_pass(case)
    return service(case, moderator=moderator, **kwargs)


def test_hiding_an_article_hides_it_resolves_the_reports_and_records_it_once(
    article, moderator, django_capture_on_commit_callbacks, mailoutbox
):
    reports = [report(article, reason=Reason.HOAX) for _ in range(2)]
    case = let_the_reply_wait_pass(reports[0].case)

    with django_capture_on_commit_callbacks(execute=True):
        action = services.hide_target(
            case,
            moderator=moderator,
            rule=Reason.HOAX,
            public_reason="Berisi kabar bohong tentang banjir.",
            internal_reason="Dicek dengan BPBD.",
        )

    article.refresh_from_db()
    case.refresh_from_db()
    assert article.status == Article.Status.HIDDEN
    assert ModerationAction.objects.count() == 1
    assert (action.kind, action.moderator, action.rule) == (Kind.HIDE, moderator, Reason.HOAX)
    assert action.internal_reason == "Dicek dengan BPBD."
    assert set(action.resolved_reports.all()) == set(reports)
    assert {r.status for r in Report.objects.all()} == {Report.Status.ACTION_TAKEN}
    assert all(r.resolved_at for r in Report.objects.all())
    assert (case.status, case.open_report_count, case.reporter_count) == (Case.Status.CLOSED, 0, 0)
    # The author's notice, and one notification email to each reporter.
    [mail] = [sent for sent in mailoutbox if sent.to == ["penulis@example.com"]]
    assert len(mailoutbox) == 3
    assert "Banjir di kampung kami" in mail.body
    assert "Berisi kabar bohong tentang banjir." in mail.body
    assert "Dicek dengan BPBD." not in mail.body  # the internal note stays internal


def test_hiding_a_comment_hides_it_as_a_moderator(comment, moderator):
    case = report(comment).case

    act(Kind.HIDE, case, moderator)

    comment.refresh_from_db()
    assert comment.status == CommentStatus.HIDDEN_BY_MODERATOR
    comment.article.refresh_from_db()
    assert comment.article.comment_count == 0


@pytest.mark.parametrize("target_name", ["article", "comment"])
def test_restoring_brings_the_content_back_and_dismisses_new_reports(
    targets, moderator, target_name
):
    target = targets[target_name]
    case = report(target).case
    act(Kind.HIDE, case, moderator)

    action = act(Kind.RESTORE, case, moderator)

    target.refresh_from_db()
    assert target.status in {"published", "visible"}
    assert action.kind == Kind.RESTORE
    assert ModerationAction.objects.count() == 2


def test_dismissing_leaves_the_target_alone(article, moderator):
    made = report(article)

    action = act(Kind.DISMISS, made.case, moderator)

    article.refresh_from_db()
    made.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert made.status == Report.Status.DISMISSED
    assert made.resolved_by == action


def test_warning_keeps_the_content_and_tells_the_author(
    comment, moderator, django_capture_on_commit_callbacks, mailoutbox
):
    comment.author.email = "komentator@example.com"
    comment.author.save()
    made = report(comment)

    with django_capture_on_commit_callbacks(execute=True):
        act(Kind.WARN, made.case, moderator, public_reason="Jaga bahasa Anda.")

    comment.refresh_from_db()
    made.refresh_from_db()
    assert comment.status == CommentStatus.VISIBLE
    assert made.status == Report.Status.ACTION_TAKEN
    # The author's notice, and the reporter's notification email.
    [mail] = [sent for sent in mailoutbox if sent.to == ["komentator@example.com"]]
    assert len(mailoutbox) == 2
    assert "Jaga bahasa Anda." in mail.body


def test_suspending_until_a_date_ends_sessions_and_keeps_the_content(article, writer, moderator):
    case = report(writer).case
    version = writer.session_version
    until = timezone.now() + timedelta(days=7)

    action = act(Kind.SUSPEND, case, moderator, until=until)

    writer.refresh_from_db()
    article.refresh_from_db()
    assert writer.is_suspended
    assert writer.suspended_until == until
    assert writer.session_version == version + 1
    assert action.suspended_until == until
    assert article.status == Article.Status.PUBLISHED


def test_suspending_without_a_date_is_indefinite(writer, moderator):
    case = report(writer).case

    act(Kind.SUSPEND, case, moderator)

    writer.refresh_from_db()
    assert writer.suspended_indefinitely
    assert writer.is_suspended


def test_a_suspension_cannot_end_in_the_past(writer, moderator):
    case = report(writer).case

    with pytest.raises(ValidationError):
        act(Kind.SUSPEND, case, moderator, until=timezone.now() - timedelta(hours=1))

    writer.refresh_from_db()
    assert not writer.is_suspended
    assert not ModerationAction.objects.exists()


def test_lifting_a_suspension_lets_the_author_back(writer, moderator):
    case = report(writer).case
    act(Kind.SUSPEND, case, moderator)

    act(Kind.LIFT_SUSPENSION, case, moderator)

    writer.refresh_from_db()
    assert not writer.is_suspended


def test_starting_a_review_shows_new_reports_as_under_review(article, moderator):
    made = report(article)

    action = act(Kind.REVIEW, made.case, moderator)

    made.refresh_from_db()
    assert made.status == Report.Status.UNDER_REVIEW
    assert action.kind == Kind.REVIEW
    assert not action.resolved_reports.exists()


@pytest.mark.parametrize(
    ("kind", "setup"),
    [
        (Kind.REVIEW, None),
        (Kind.HIDE, None),
        (Kind.RESTORE, Kind.HIDE),
        (Kind.DISMISS, None),
        (Kind.WARN, None),
        (Kind.SUSPEND, None),
        (Kind.LIFT_SUSPENSION, Kind.SUSPEND),
    ],
)
def test_every_action_writes_exactly_one_audit_record(article, moderator, kind, setup):
    case = report(article).case
    if setup:
        act(setup, case, moderator)
    before = ModerationAction.objects.count()

    action = act(kind, case, moderator)

    assert ModerationAction.objects.count() == before + 1
    assert ModerationAction.objects.latest("pk") == action
    assert action.moderator == moderator
    assert action.case == case


@pytest.mark.parametrize("kind", [Kind.HIDE, Kind.DISMISS, Kind.WARN, Kind.SUSPEND])
def test_a_decision_needs_a_public_reason(article, moderator, kind):
    case = report(article).case

    with pytest.raises(ValidationError):
        act(kind, case, moderator, public_reason="  ")

    assert not ModerationAction.objects.exists()


@pytest.mark.parametrize("kind", [Kind.HIDE, Kind.WARN, Kind.SUSPEND])
def test_hiding_warning_and_suspending_name_the_rule(article, moderator, kind):
    case = report(article).case

    with pytest.raises(ValidationError):
        act(kind, case, moderator, rule="")


def test_accounts_are_not_hidden(writer, moderator):
    case = report(writer).case

    with pytest.raises(services.ActionNotApplicable):
        act(Kind.HIDE, case, moderator)


def test_visible_content_is_not_restored(article, moderator):
    case = report(article).case

    with pytest.raises(services.ActionNotApplicable):
        act(Kind.RESTORE, case, moderator)


def test_hidden_content_is_not_hidden_twice(article, moderator):
    case = report(article).case
    act(Kind.HIDE, case, moderator)

    with pytest.raises(services.ActionNotApplicable):
        act(Kind.HIDE, case, moderator)

    assert ModerationAction.objects.count() == 1


def test_a_moderator_does_not_moderate_their_own_content(moderator):
    own = make_article(author=moderator)
    case = report(own).case

    with pytest.raises(services.ActionNotApplicable):
        act(Kind.DISMISS, case, moderator)


def test_staff_accounts_are_not_warned_or_suspended_here(moderator):
    colleague = make_moderator()
    case = report(colleague).case

    with pytest.raises(services.ActionNotApplicable):
        act(Kind.SUSPEND, case, moderator)

    colleague.refresh_from_db()
    assert not colleague.is_suspended


def test_a_new_report_after_a_decision_reopens_the_case(article, moderator):
    case = report(article).case
    act(Kind.DISMISS, case, moderator)

    report(article, reason=Reason.SARA)

    case.refresh_from_db()
    assert case.status == Case.Status.OPEN
    assert case.open_report_count == 1


# Automatic hide


def test_three_established_readers_hide_the_article_until_review(
    article, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        for reason in [Reason.SPAM, Reason.SARA, Reason.SPAM]:
            report(article, reporter=make_established_user(), reason=reason)

    article.refresh_from_db()
    case = Case.objects.get()
    action = ModerationAction.objects.get()
    assert article.status == Article.Status.HIDDEN
    assert case.status == Case.Status.AUTO_HIDDEN
    assert (action.kind, action.moderator, action.rule) == (Kind.AUTO_HIDE, None, Reason.SARA)
    assert {r.status for r in Report.objects.all()} == {Report.Status.UNDER_REVIEW}
    # The author hears of the hide, and is invited to give their side (rights app).
    invitation = case.right_of_reply
    assert invitation.author == article.author
    [notice, invited] = sorted(mailoutbox, key=lambda m: invitation.get_absolute_url() in m.body)
    assert "Banjir di kampung kami" in notice.body
    assert notice.to == invited.to == [article.author.email]


def test_new_accounts_alone_never_hide_anything(article):
    for _ in range(2):
        report(article, reporter=make_established_user())
    for _ in range(6):
        report(article, reporter=make_new_user())

    article.refresh_from_db()
    case = Case.objects.get()
    assert article.status == Article.Status.PUBLISHED
    assert case.status == Case.Status.OPEN
    assert (case.open_report_count, case.established_reporter_count) == (8, 2)
    assert not ModerationAction.objects.exists()


def test_the_third_established_reader_tips_it_after_new_accounts(article):
    for _ in range(4):
        report(article, reporter=make_new_user())
    for _ in range(3):
        report(article, reporter=make_established_user())

    article.refresh_from_db()
    assert article.status == Article.Status.HIDDEN


def test_the_threshold_and_the_account_age_are_settings(article, settings):
    settings.MODERATION_AUTO_HIDE_THRESHOLD = 2
    settings.MODERATION_AUTO_HIDE_MIN_ACCOUNT_AGE_DAYS = 0

    report(article, reporter=make_new_user())
    report(article, reporter=make_new_user())

    article.refresh_from_db()
    assert article.status == Article.Status.HIDDEN


def test_comments_are_hidden_automatically_too(comment):
    for _ in range(3):
        report(comment, reporter=make_established_user())

    comment.refresh_from_db()
    assert comment.status == CommentStatus.HIDDEN_BY_MODERATOR


def test_accounts_are_never_hidden_or_suspended_automatically(writer):
    for _ in range(5):
        report(writer, reporter=make_established_user())

    writer.refresh_from_db()
    assert not writer.is_suspended
    assert Case.objects.get().status == Case.Status.OPEN


def test_content_a_moderator_restored_is_not_hidden_automatically_again(article, moderator):
    for _ in range(3):
        report(article, reporter=make_established_user())
    case = Case.objects.get()
    act(Kind.RESTORE, case, moderator)

    for _ in range(3):
        report(article, reporter=make_established_user())

    article.refresh_from_db()
    case.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert case.status == Case.Status.OPEN
    assert case.open_report_count == 3


def test_a_moderator_confirms_an_automatic_hide_by_hiding(article, moderator):
    for _ in range(3):
        report(article, reporter=make_established_user())
    case = Case.objects.get()

    action = act(Kind.HIDE, case, moderator)

    article.refresh_from_db()
    case.refresh_from_db()
    assert article.status == Article.Status.HIDDEN
    assert case.status == Case.Status.CLOSED
    assert action.resolved_reports.count() == 3


def test_dismissing_an_automatic_hide_restores_the_content(article, moderator):
    for _ in range(3):
        report(article, reporter=make_established_user())
    case = Case.objects.get()

    action = act(Kind.DISMISS, case, moderator)

    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert action.kind == Kind.RESTORE
    assert {r.status for r in Report.objects.all()} == {Report.Status.DISMISSED}


def test_a_reported_avatar_stays_as_evidence_after_its_owner_removes_it(
    writer, reader, settings, tmp_path, django_capture_on_commit_callbacks
):
    from django.core.files.base import ContentFile

    settings.MEDIA_ROOT = tmp_path
    writer.avatar.save("wajah.jpg", ContentFile(b"gambar-wajah"), save=True)
    name = writer.avatar.name
    original = tmp_path / name
    made = report(writer, reporter=reader, reason=Reason.IMPERSONATION)

    with django_capture_on_commit_callbacks(execute=True):
        update_profile(
            writer,
            data={"display_name": "Nama Baru", "occupation": "other", "tagline": "", "bio": ""},
            remove_avatar=True,
        )

    made.refresh_from_db()
    assert made.snapshot_avatar.startswith("evidence/")
    assert made.snapshot_avatar.endswith(name)
    assert made.snapshot_avatar != f"evidence/{name}"  # the old URL does not lead to it
    assert (tmp_path / made.snapshot_avatar).read_bytes() == b"gambar-wajah"
    assert not original.exists()  # the owner's file is gone; the evidence is not


def test_the_moderation_notice_is_mailed_in_the_owners_language(
    mailoutbox, django_capture_on_commit_callbacks
):
    writer = make_user(username="penulisinggris", language="en")
    article = make_article(author=writer)
    reporter = make_user(username="pelapor")
    moderator = make_user(username="moderatorx", is_staff=True)
    report = services.report_article(article, reporter=reporter, reason=Reason.HOAX)
    let_the_reply_wait_pass(report.case)

    with django_capture_on_commit_callbacks(execute=True):
        services.hide_target(
            report.case, moderator=moderator, rule=Reason.HOAX, public_reason="No sources given."
        )

    [notice] = [mail for mail in mailoutbox if mail.to == [writer.email]]
    assert notice.subject.startswith("Your content was hidden by a moderator")
    assert "The moderator's reason: No sources given." in notice.body
