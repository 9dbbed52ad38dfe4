"""Builders for the moderation tests. Users and articles come from tests/factories.py."""

import itertools
from datetime import timedelta

from django.contrib.auth.models import Group
from django.utils import timezone

from comments.services import post_comment
from moderation import services
from moderation.access import MODERATOR_GROUP
from moderation.models import Reason
from tests.factories import make_user

_sequence = itertools.count(1)


def make_established_user(*, days: int = 30, **kwargs):
    """A reader whose account is old enough to count towards the automatic hide."""
    kwargs.setdefault("username", f"lama{next(_sequence)}")
    kwargs.setdefault("date_joined", timezone.now() - timedelta(days=days))
    return make_user(**kwargs)


def make_new_user(**kwargs):
    """A reader who signed up today."""
    kwargs.setdefault("username", f"baru{next(_sequence)}")
    return make_user(**kwargs)


def make_moderator(**kwargs):
    """A staff user in the Moderator group the data migration creates."""
    kwargs.setdefault("username", f"moderator{next(_sequence)}")
    kwargs.setdefault("is_staff", True)
    user = make_user(**kwargs)
    user.groups.add(Group.objects.get(name=MODERATOR_GROUP))
    return user


def make_comment(article, *, author=None, body=None, reply_to=None):
    return post_comment(
        article,
        author=author or make_user(),
        body=body or f"Komentar nomor {next(_sequence)}",
        reply_to=reply_to,
        enforce_limits=False,
    )


def report(target, *, reporter=None, reason=Reason.SPAM, details=""):
    """A report filed through the service (without rate limits) about an article,
    a comment or an account."""
    reporter = reporter or make_established_user()
    file_report = {
        "Article": services.report_article,
        "Comment": services.report_comment,
        "User": services.report_account,
    }[type(target).__name__]
    return file_report(
        target, reporter=reporter, reason=reason, details=details, enforce_limits=False
    )


def let_the_reply_wait_pass(case):
    """The article's author was invited to give their side (rights app) and the
    wait is over, so a moderator may hide it now (README, "People's rights")."""
    from rights.models import RightOfReply

    RightOfReply.objects.get_or_create(
        case=case,
        defaults={"author": case.owner, "wait_until": timezone.now() - timedelta(seconds=1)},
    )
    return case
