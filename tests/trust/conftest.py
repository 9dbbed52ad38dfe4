from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone

from tests.factories import make_article, make_user
from trust import classifier


@pytest.fixture(autouse=True)
def _screening_on(settings):
    """The rest of the suite runs with the spam rules off (settings_test.py)."""
    settings.TRUST_SCREENING = True
    settings.TRUST_BLOCKED_HOSTS = ["judi-terlarang.example"]
    classifier.forget()
    yield
    classifier.forget()


def make_account(*, days=0, confirmed=True, **kwargs):
    user = make_user(**kwargs)
    user.date_joined = timezone.now() - timedelta(days=days, minutes=5)
    user.save(update_fields=["date_joined"])
    if confirmed:
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def make_trusted(**kwargs):
    """An account that earned Tepercaya: 60 days, three articles, five comments and
    an hour spent reading."""
    from comments.models import Comment

    user = make_account(days=60, **kwargs)
    articles = [make_article(author=user) for _ in range(3)]
    for number in range(5):
        Comment.objects.create(
            article=articles[0], author=user, body=f"komentar {number}", path=f"{number:012d}"
        )
    give_reading_time(user, minutes=60)
    return user


def give_reading_time(user, *, minutes):
    """Reading time as the beacon would have recorded it, over past days."""
    from trust.models import ReadingTime

    today = timezone.localdate()
    for day in range(minutes // 20 + 1):
        seconds = min(20, minutes - day * 20) * 60
        if seconds > 0:
            ReadingTime.objects.create(
                user=user,
                article=make_article(),
                day=today - timedelta(days=day + 1),
                seconds=seconds,
            )


@pytest.fixture
def newcomer(db):
    return make_account(days=0, username="pendatang")


@pytest.fixture
def trusted(db):
    return make_trusted(username="tepercaya")
