"""What the database itself refuses, whatever path writes the rows."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from moderation.models import SEVERITY, Case, ModerationAction, Reason, Report, TargetType
from tests.factories import make_user

from .builders import report

pytestmark = pytest.mark.django_db


def _case_for(article):
    return Case.objects.create(
        target_type=TargetType.ARTICLE, article=article, owner=article.author
    )


def test_every_reason_has_a_severity_and_the_gravest_outrank_spam():
    assert set(SEVERITY) == set(Reason)
    assert SEVERITY[Reason.SARA] > SEVERITY[Reason.PLAGIARISM] > SEVERITY[Reason.SPAM]


def test_a_report_takes_its_severity_from_its_reason(article, reader):
    made = report(article, reporter=reader, reason=Reason.PORNOGRAPHY)

    assert made.severity == SEVERITY[Reason.PORNOGRAPHY]


def test_a_report_about_two_things_at_once_is_refused(article, comment, reader):
    case = _case_for(article)
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.create(
            case=case, reporter=reader, article=article, comment=comment, reason=Reason.SPAM
        )


def test_a_report_about_nothing_is_refused(article, reader):
    case = _case_for(article)
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.create(case=case, reporter=reader, reason=Reason.SPAM)


def test_a_case_must_name_the_target_its_type_says(article, writer):
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.create(target_type=TargetType.ACCOUNT, article=article, owner=writer)


def test_one_case_per_target(article):
    _case_for(article)
    with pytest.raises(IntegrityError), transaction.atomic():
        _case_for(article)


def test_other_without_details_is_refused_by_the_database(article, reader):
    case = _case_for(article)
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.create(case=case, reporter=reader, article=article, reason=Reason.OTHER)


def test_an_unknown_reason_is_refused_by_the_database(article, reader):
    case = _case_for(article)
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.create(case=case, reporter=reader, article=article, reason="bosan")


def test_a_second_open_report_by_the_same_reader_is_refused_by_the_database(article, reader):
    first = report(article, reporter=reader)
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.create(case=first.case, reporter=reader, article=article, reason=Reason.HOAX)


def test_after_a_report_is_closed_the_reader_may_report_again(article, reader):
    first = report(article, reporter=reader)
    Report.objects.filter(pk=first.pk).update(status=Report.Status.DISMISSED)

    second = report(article, reporter=reader, reason=Reason.HOAX)

    assert second.pk != first.pk
    assert second.case_id == first.case_id


def test_a_decision_without_a_public_reason_is_refused_by_the_database(article):
    case = _case_for(article)
    moderator = make_user(is_staff=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        ModerationAction.objects.create(case=case, kind="hide", moderator=moderator, rule="spam")


def test_only_the_automatic_hide_has_no_moderator(article):
    case = _case_for(article)
    ModerationAction.objects.create(case=case, kind="auto_hide", rule="spam")
    with pytest.raises(IntegrityError), transaction.atomic():
        ModerationAction.objects.create(case=case, kind="review")


@translation.override("en")
def test_str_names_the_target(article, comment, writer):
    assert str(report(article)).startswith("Spam")
    assert str(Case.objects.get(article=article)) == f"Article: {article.title}"
    report(comment)
    assert str(Case.objects.get(comment=comment)).startswith("Comment: Komentar kasar")
    report(writer)
    assert str(Case.objects.get(account=writer)) == "Account: Penulis Kolom"
