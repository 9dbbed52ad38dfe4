"""Held posts are rows of the moderation queue: why they were held, released or
rejected there through moderation.services, audited, and learnt from."""

import pytest
from django.urls import reverse

from articles.models import Article
from articles.services import publish_article
from comments import services as comment_services
from comments.models import Comment
from moderation import services as moderation_services
from moderation.models import Case, ModerationAction, Reason
from notifications.models import Notification
from tests.factories import make_article
from tests.moderation.builders import make_moderator, report
from tests.moderation.test_admin import QUEUE_QUERIES
from trust import classifier
from trust.models import ClassifierModel, HeldItem

from .conftest import make_account

pytestmark = pytest.mark.django_db

QUEUE = "admin:moderation_case_changelist"


def held_article(author, title="Perkenalan warga baru", body="<p>Halo semua.</p>"):
    article = make_article(author=author, status=Article.Status.DRAFT, title=title, body=body)
    publish_article(article, by=author)
    article.refresh_from_db()
    assert article.status == Article.Status.HELD
    return article


def act_url(case, kind):
    return reverse("admin:moderation_case_act", args=[case.pk, kind])


@pytest.fixture
def moderator(db):
    return make_moderator(username="moderator_antre")


def test_a_held_post_opens_a_case_in_the_queue_with_why_it_was_held(
    client, moderator, newcomer, article
):
    gambler = make_account(username="promo_slot")
    spam = held_article(gambler, title="Info slot gacor", body="<p>Main slot gacor tiap hari.</p>")
    first = held_article(newcomer)
    comment = comment_services.post_comment(
        article, author=newcomer, body="Salam kenal semuanya.", enforce_limits=False
    )
    cases = {case.target: case for case in Case.objects.all()}
    assert {case.status for case in cases.values()} == {Case.Status.HELD}
    assert set(cases) == {spam, first, comment}

    client.force_login(moderator)
    page = client.get(reverse(QUEUE))  # the queue as it opens: needs review
    html = page.content.decode()
    assert page.status_code == 200
    assert "Info slot gacor" in html and "Perkenalan warga baru" in html
    assert "Salam kenal semuanya." in html
    assert "word_list" in html and "gacor" in html and "probation" in html
    assert "Baru" in html  # the writer's level when held

    held_only = client.get(reverse(QUEUE), {"status": "held"}).content.decode()
    # Oldest first among held posts (none has a reporter).
    assert held_only.index("Info slot gacor") < held_only.index("Perkenalan warga baru")

    case_page = client.get(reverse("admin:moderation_case_change", args=[cases[spam].pk]))
    text = case_page.content.decode()
    assert 'data-hold-rule="word_list"' in text
    assert "Main slot gacor tiap hari." in text
    assert act_url(cases[spam], "release") in text and act_url(cases[spam], "reject") in text


def test_release_in_the_queue_publishes_audits_and_teaches_the_classifier(
    client, moderator, newcomer, django_capture_on_commit_callbacks
):
    held = held_article(newcomer)
    case = Case.objects.get(article=held)
    client.force_login(moderator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(act_url(case, "release"), {"public_reason": ""})

    assert response.status_code == 302
    held.refresh_from_db()
    case.refresh_from_db()
    assert held.status == Article.Status.PUBLISHED
    assert case.status == Case.Status.CLOSED
    (action,) = ModerationAction.objects.filter(case=case)
    assert (action.kind, action.moderator) == (ModerationAction.Kind.RELEASE, moderator)
    item = HeldItem.objects.get(article=held)
    assert (item.status, item.decided_by) == (HeldItem.Status.RELEASED, moderator)
    assert Notification.objects.filter(recipient=newcomer, kind="review_released").exists()
    assert (item.text, 0) in classifier.decisions()  # a labelled example: not spam
    if classifier.can_train():
        assert ClassifierModel.objects.count() == 1  # retrained after the commit
    # Nothing more to decide: the queue's default view no longer lists it.
    assert "Perkenalan warga baru" not in client.get(reverse(QUEUE)).content.decode()


def test_reject_needs_a_rule_and_a_reason_then_keeps_it_unpublished(
    client, moderator, newcomer, article
):
    comment = comment_services.post_comment(
        article, author=newcomer, body="Daftar slot gacor di sini.", enforce_limits=False
    )
    case = Case.objects.get(comment=comment)
    client.force_login(moderator)

    refused = client.post(act_url(case, "reject"), {"public_reason": ""})
    assert refused.status_code == 400
    assert HeldItem.objects.get(comment=comment).status == HeldItem.Status.PENDING
    assert not ModerationAction.objects.exists()

    client.post(
        act_url(case, "reject"),
        {"rule": Reason.GAMBLING, "public_reason": "Promosi judi daring.", "internal_reason": ""},
    )

    comment.refresh_from_db()
    case.refresh_from_db()
    assert comment.status == Comment.Status.HIDDEN_BY_MODERATOR  # never deleted
    assert case.status == Case.Status.CLOSED
    (action,) = ModerationAction.objects.filter(case=case)
    assert (action.kind, action.rule) == (ModerationAction.Kind.REJECT, Reason.GAMBLING)
    assert action.public_reason == "Promosi judi daring."
    assert ("Daftar slot gacor di sini.", 1) in classifier.decisions()
    assert Notification.objects.filter(recipient=newcomer, kind="review_rejected").exists()


def test_bulk_release_from_the_queue_asks_nothing_and_decides_each(client, moderator):
    helds = [
        held_article(make_account(username=f"baru{n}"), title=f"Tulisan {n}") for n in range(3)
    ]
    cases = list(Case.objects.filter(article__in=helds))
    client.force_login(moderator)

    response = client.post(
        reverse(QUEUE),
        {
            "action": "release_selected",
            "_selected_action": [case.pk for case in cases],
            "apply": "1",
            "public_reason": "",
        },
    )

    assert response.status_code == 302
    assert Article.objects.filter(pk__in=[a.pk for a in helds], status="published").count() == 3
    assert ModerationAction.objects.filter(kind="release").count() == 3


def test_only_a_held_case_can_be_released_and_not_by_its_own_writer(
    moderator, newcomer, writer, article
):
    reported = report(article).case
    with pytest.raises(moderation_services.ActionNotApplicable):
        moderation_services.release_held(reported, moderator=moderator)

    own = held_article(make_account(username="mod_baru", is_staff=False))
    case = Case.objects.get(article=own)
    with pytest.raises(moderation_services.ActionNotApplicable):
        moderation_services.release_held(case, moderator=own.author)
    assert HeldItem.objects.get(article=own).status == HeldItem.Status.PENDING


def test_a_reader_cannot_release(client, newcomer, other_user):
    held = held_article(newcomer)
    case = Case.objects.get(article=held)
    client.force_login(other_user)

    response = client.post(act_url(case, "release"), {})

    assert response.status_code == 302  # to the admin sign-in
    held.refresh_from_db()
    assert held.status == Article.Status.HELD


def test_the_queue_with_held_rows_runs_a_bounded_number_of_queries(
    client, moderator, django_assert_max_num_queries
):
    for n in range(12):
        held_article(make_account(username=f"antre{n}"), title=f"Antre {n}")
    client.force_login(moderator)
    # The reports' queue (tests/moderation: QUEUE_QUERIES) and one for the page's holds.
    with django_assert_max_num_queries(QUEUE_QUERIES + 1):
        response = client.get(reverse(QUEUE))
    assert response.status_code == 200
    assert response.content.decode().count("Ditahan: probation") == 12
