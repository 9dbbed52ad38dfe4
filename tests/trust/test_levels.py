import pytest
from django.urls import reverse

from articles.models import Article
from articles.services import hide_article
from comments.models import Comment
from tests.factories import make_article
from trust import services
from trust.models import HeldItem, Level, TrustChange, TrustRecord

from .conftest import make_account, make_trusted

pytestmark = pytest.mark.django_db


def test_a_new_account_is_baru(newcomer):
    assert services.recompute_level(newcomer) == Level.BARU
    assert not TrustChange.objects.exists()


def test_age_email_and_a_published_article_make_dasar_and_the_change_is_recorded():
    user = make_account(days=3)
    assert services.recompute_level(user) == Level.BARU
    make_article(author=user)
    assert services.recompute_level(user) == Level.DASAR
    change = TrustChange.objects.get(user=user)
    assert (change.old_level, change.new_level) == (Level.BARU, Level.DASAR)
    assert services.current_level(user) == Level.DASAR


def test_an_unconfirmed_email_stays_baru():
    user = make_account(days=40, confirmed=False)
    make_article(author=user)
    assert services.recompute_level(user) == Level.BARU


def test_visible_comments_count_but_hidden_ones_do_not(article):
    user = make_account(days=3)
    for number in range(3):
        Comment.objects.create(
            article=article,
            author=user,
            body="x",
            path=f"{number:012d}",
            status=Comment.Status.HIDDEN_BY_MODERATOR if number == 0 else "visible",
        )
    assert services.recompute_level(user) == Level.BARU
    Comment.objects.create(article=article, author=user, body="y", path="9" * 12)
    assert services.recompute_level(user) in (Level.BARU, Level.DASAR)


def test_a_trusted_account_reaches_tepercaya():
    assert services.recompute_level(make_trusted()) == Level.TEPERCAYA


def test_content_hidden_by_moderators_demotes(settings):
    settings.TRUST_DEMOTE_STRIKES = 2
    user = make_trusted()
    assert services.recompute_level(user) == Level.TEPERCAYA
    first, second = Article.objects.filter(author=user)[:2]
    hide_article(first)  # the event listener looks again after the commit
    assert services.recompute_level(user) == Level.DASAR
    hide_article(second)
    assert services.recompute_level(user) == Level.BARU
    reasons = list(TrustChange.objects.filter(user=user).values_list("new_level", flat=True))
    assert Level.BARU in reasons


def test_staff_rank_above_every_level(staff_user):
    assert services.recompute_level(staff_user) == Level.STAFF


def test_the_daily_pass_promotes_by_age_alone():
    user = make_account(days=1)
    make_article(author=user)
    services.recompute_level(user)
    user.date_joined = user.date_joined.replace(year=user.date_joined.year - 1)
    user.save(update_fields=["date_joined"])
    assert services.recompute_all() == 1
    assert services.current_level(user) == Level.DASAR


def test_the_demo_has_every_level_and_a_held_queue(settings, tmp_path):
    from django.core.management import call_command

    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", stdout=open(tmp_path / "out.txt", "w"))  # noqa: SIM115
    levels = set(TrustRecord.objects.values_list("level", flat=True))
    assert {Level.BARU, Level.DASAR, Level.TEPERCAYA} <= levels
    rules = set(HeldItem.objects.filter(status="pending").values_list("rule", flat=True))
    assert {"probation", "word_list"} <= rules


def test_many_sign_ups_from_one_address_are_flagged_not_refused(client, settings, article):
    from comments.services import post_comment
    from trust.models import SignupAddress

    settings.TRUST_SIGNUPS_PER_ADDRESS = 2
    for number in range(3):
        response = client.post(
            reverse("account_signup"),
            {
                "email": f"warga{number}@contoh.id",
                "username": f"wargabaru{number}",
                "password1": "Rahasia-Warga-2026",
                "password2": "Rahasia-Warga-2026",
            },
            REMOTE_ADDR="203.0.113.7",
        )
        assert response.status_code == 302
        client.logout()
    flags = list(SignupAddress.objects.order_by("created_at").values_list("flagged", flat=True))
    assert flags == [False, False, True]
    assert "203.0.113.7" not in SignupAddress.objects.first().digest
    flagged = SignupAddress.objects.get(flagged=True).user
    comment = post_comment(article, author=flagged, body="Halo semua", enforce_limits=False)
    assert HeldItem.objects.get(comment=comment).rule == "signup_address"
    assert services.clear_signup_flag(flagged)
