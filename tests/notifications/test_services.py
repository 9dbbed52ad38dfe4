"""Each kind is recorded once, by the service that causes it, never to oneself,
never about hidden content."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from accounts.services import follow_author, unfollow_author
from articles.models import Article
from articles.services import delete_article, hide_article, publish_article, unpublish_article
from comments.services import delete_comment, hide_comment_as_author, hide_comment_as_moderator
from moderation import services as moderation
from moderation.models import Reason
from notifications import services
from notifications.models import EmailPreference, Notification
from tests.comments.builders import make_comment
from tests.factories import make_article, make_user
from tests.moderation.builders import let_the_reply_wait_pass, make_moderator, report

Kind = Notification.Kind


def kinds_of(user) -> list[str]:
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


# Comments and replies


def test_a_comment_tells_the_articles_author_once(article, writer, reader):
    comment = make_comment(article, author=reader)

    [notice] = Notification.objects.all()
    assert (notice.recipient, notice.actor, notice.kind) == (writer, reader, Kind.COMMENT)
    assert (notice.article, notice.comment) == (article, comment)
    assert notice.is_unread


def test_a_reply_tells_the_comments_writer_and_the_articles_author(
    article, writer, reader, neighbour
):
    top = make_comment(article, author=reader)
    Notification.objects.all().delete()

    reply = make_comment(article, author=neighbour, reply_to=top)

    assert kinds_of(reader) == [Kind.REPLY]
    assert kinds_of(writer) == [Kind.COMMENT]
    assert kinds_of(neighbour) == []
    assert Notification.objects.get(recipient=reader).comment == reply


def test_a_reply_to_the_articles_author_is_one_reply_notice(article, writer, reader):
    top = make_comment(article, author=writer)

    make_comment(article, author=reader, reply_to=top)

    assert kinds_of(writer) == [Kind.REPLY]


def test_nobody_is_told_about_their_own_comment_or_reply(article, writer, reader):
    own = make_comment(article, author=writer)
    make_comment(article, author=writer, reply_to=own)
    mine = make_comment(article, author=reader)
    Notification.objects.all().delete()

    make_comment(article, author=reader, reply_to=mine)

    assert kinds_of(reader) == []
    assert kinds_of(writer) == [Kind.COMMENT]
    assert not Notification.objects.filter(recipient_id=writer.pk, actor_id=writer.pk).exists()


def test_announcing_the_same_comment_again_records_nothing_more(article, writer, reader):
    comment = make_comment(article, author=reader)

    services.notify_comment(comment, recipients=[writer])

    assert Notification.objects.count() == 1


# Hidden content


@pytest.mark.parametrize(
    "remove",
    [
        lambda comment, article: delete_comment(comment, by=comment.author),
        lambda comment, article: hide_comment_as_author(comment, by=article.author),
        lambda comment, article: hide_comment_as_moderator(comment),
    ],
    ids=["deleted", "hidden by the author", "hidden by a moderator"],
)
def test_a_comment_that_stops_being_visible_withdraws_its_notices(
    article, writer, reader, neighbour, remove
):
    top = make_comment(article, author=neighbour)
    comment = make_comment(article, author=reader, reply_to=top)
    assert kinds_of(neighbour) == [Kind.REPLY]

    remove(comment, article)

    assert kinds_of(neighbour) == []
    # What remains is only the notice to its writer that the author hid it (#17).
    assert not Notification.objects.filter(comment=comment).exclude(kind="comment_hidden").exists()
    # The notice about the comment still visible stays.
    assert Notification.objects.filter(comment=top, recipient=writer).exists()


@pytest.mark.parametrize(
    "remove",
    [
        lambda article: hide_article(article),
        lambda article: unpublish_article(article, by=article.author),
        lambda article: delete_article(article, by=article.author),
    ],
    ids=["hidden", "unpublished", "deleted"],
)
def test_an_article_that_leaves_the_public_withdraws_every_notice_about_it(
    writer, reader, neighbour, remove
):
    follow_author(reader, author=writer)
    draft = make_article(author=writer, status=Article.Status.DRAFT, published_at=None)
    publish_article(draft, by=writer)
    make_comment(draft, author=neighbour)
    assert kinds_of(reader) == [Kind.NEW_ARTICLE]
    assert kinds_of(writer) == [Kind.COMMENT, Kind.FOLLOWER]

    remove(draft)

    assert kinds_of(reader) == []
    assert kinds_of(writer) == [Kind.FOLLOWER]


def test_nothing_is_announced_about_a_comment_that_is_not_visible(article, writer, reader):
    comment = make_comment(article, author=reader)
    hide_comment_as_moderator(comment)

    assert services.notify_comment(comment, recipients=[writer]) == 0
    assert Notification.objects.count() == 0


# New articles from followed writers


def make_draft(author):
    return make_article(author=author, status=Article.Status.DRAFT, published_at=None)


def test_publishing_tells_each_follower_once(writer, reader, neighbour):
    follow_author(reader, author=writer)
    follow_author(neighbour, author=writer)
    make_user()  # follows nobody
    draft = make_draft(writer)

    publish_article(draft, by=writer)
    publish_article(draft, by=writer)  # already published: nothing happens

    notices = Notification.objects.filter(kind=Kind.NEW_ARTICLE)
    assert {n.recipient for n in notices} == {reader, neighbour}
    assert {(n.actor, n.article) for n in notices} == {(writer, draft)}
    assert kinds_of(writer) == [Kind.FOLLOWER, Kind.FOLLOWER]


def test_publishing_again_after_unpublishing_is_not_news(writer, reader):
    follow_author(reader, author=writer)
    draft = make_draft(writer)
    publish_article(draft, by=writer)
    assert kinds_of(reader) == [Kind.NEW_ARTICLE]

    unpublish_article(draft, by=writer)
    assert kinds_of(reader) == []  # withdrawn while it is not public
    publish_article(draft, by=writer)

    assert kinds_of(reader) == []


def test_publishing_an_empty_draft_announces_nothing(writer, reader):
    follow_author(reader, author=writer)
    draft = make_article(author=writer, status=Article.Status.DRAFT, published_at=None, body="")

    with pytest.raises(ValidationError):
        publish_article(draft, by=writer)

    assert not Notification.objects.filter(kind=Kind.NEW_ARTICLE).exists()


def test_many_followers_are_told_in_a_bounded_number_of_queries(
    writer, monkeypatch, django_assert_max_num_queries
):
    followers = [make_user() for _ in range(7)]
    for person in followers:
        follow_author(person, author=writer)
    monkeypatch.setattr(services, "BATCH_SIZE", 3)
    draft = make_draft(writer)

    # Per batch of followers: read the batch, then in a savepoint make sure
    # each has a preference row, lock and read the preferences, insert, mark
    # the emails queued (7 with the savepoint's two); three batches and the
    # empty read that ends the loop (22), plus the article's save and the
    # task's read of it (articles.tasks.tell_followers), and the publication's
    # revision (its insert and the thinning's read, in the publication's
    # savepoint: 4): 28 for 7 followers, 7 more per thousand followers with
    # the real batch size.
    with django_assert_max_num_queries(28):
        publish_article(draft, by=writer)

    assert Notification.objects.filter(kind=Kind.NEW_ARTICLE).count() == 7


@pytest.mark.django_db(transaction=True)
def test_followers_are_told_by_the_worker_not_in_the_publishing_request(
    writer, reader, database_tasks
):
    follow_author(reader, author=writer)
    draft = make_draft(writer)

    publish_article(draft, by=writer)
    told_in_the_request = Notification.objects.filter(kind=Kind.NEW_ARTICLE).count()
    call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "*", verbosity=0)

    assert told_in_the_request == 0
    assert Notification.objects.get(kind=Kind.NEW_ARTICLE).recipient == reader


# Followers


def test_a_new_follower_is_announced_once_even_after_unfollowing(writer, reader):
    follow_author(reader, author=writer)
    follow_author(reader, author=writer)
    unfollow_author(reader, author=writer)
    follow_author(reader, author=writer)

    [notice] = Notification.objects.all()
    assert (notice.recipient, notice.actor, notice.kind) == (writer, reader, Kind.FOLLOWER)


# Moderation outcomes


@pytest.fixture
def moderator(db):
    return make_moderator(username="moderator")


def test_a_decision_tells_each_reporter_and_the_author_without_naming_the_moderator(
    article, writer, reader, neighbour, moderator
):
    first = report(article, reporter=reader, reason=Reason.HOAX)
    second = report(article, reporter=neighbour, reason=Reason.HOAX)
    let_the_reply_wait_pass(first.case)

    moderation.hide_target(
        first.case, moderator=moderator, rule=Reason.HOAX, public_reason="Kabar bohong."
    )

    outcomes = Notification.objects.filter(kind=Kind.REPORT_OUTCOME)
    assert {(n.recipient, n.report) for n in outcomes} == {(reader, first), (neighbour, second)}
    [notice] = Notification.objects.filter(kind=Kind.MODERATION)
    assert notice.recipient == writer
    assert notice.action.kind == "hide"
    assert not Notification.objects.exclude(actor=None).filter(
        kind__in=[Kind.REPORT_OUTCOME, Kind.MODERATION]
    )
    assert kinds_of(moderator) == []


def test_a_dismissal_tells_the_reporter_and_not_the_author(article, writer, reader, moderator):
    made = report(article, reporter=reader)

    moderation.dismiss_reports(made.case, moderator=moderator, public_reason="Tidak melanggar.")

    assert kinds_of(reader) == [Kind.REPORT_OUTCOME]
    assert kinds_of(writer) == []


def test_starting_a_review_is_no_outcome(article, reader, moderator):
    made = report(article, reporter=reader)

    moderation.start_review(made.case, moderator=moderator)

    assert kinds_of(reader) == []


# Reading


def test_mark_read_touches_only_the_recipients_own_notification(article, writer, reader):
    make_comment(article, author=reader)
    notice = Notification.objects.get()

    assert services.mark_read(reader, notification_id=notice.pk) is False
    assert services.unread_count(writer) == 1
    assert services.mark_read(writer, notification_id=notice.pk) is True
    assert services.mark_read(writer, notification_id=notice.pk) is False
    assert services.unread_count(writer) == 0


def test_mark_all_read_leaves_other_peoples_notifications_unread(article, writer, reader):
    top = make_comment(article, author=writer)
    make_comment(article, author=reader)
    make_comment(article, author=make_user(), reply_to=top)
    make_comment(article, author=writer, reply_to=Notification.objects.first().comment)

    assert services.unread_count(writer) == 2
    assert services.mark_all_read(writer) == 2
    assert services.unread_count(writer) == 0
    assert services.unread_count(reader) == 1


def test_email_preferences_default_to_every_kind_and_can_be_switched_off(reader):
    assert services.email_preferences(reader).email_reply is True

    services.save_email_preferences(reader, data={"email_comment": True})

    preference = EmailPreference.objects.get(user=reader)
    assert (preference.email_comment, preference.email_reply) == (True, False)
