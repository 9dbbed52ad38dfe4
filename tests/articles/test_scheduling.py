"""Scheduled publishing: a date and time in WIB, published by the task worker
through publish_article (followers told), changed or cancelled, shown in Tulisan
Saya; a past time publishes at once."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.tasks import task_backends
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from accounts.models import Follow
from articles import services
from articles.models import WIB, Article
from notifications.models import Notification
from tests.authoring_builders import edit_data, field_error, find, text_of
from tests.factories import BROWSER, make_article, make_user

worker_test = pytest.mark.django_db(transaction=True)


def signed_in(user):
    client = Client(headers={"user-agent": BROWSER})
    client.force_login(user)
    return client


def edit_url(article):
    return reverse("articles:edit", kwargs={"pk": article.pk})


@pytest.fixture
def database_tasks():
    """Queue tasks in the database, as production does, for the worker to run."""
    task_backends["default"] = DatabaseBackend(
        "default", {"BACKEND": "django_tasks_db.DatabaseBackend", "OPTIONS": {}}
    )
    yield
    del task_backends["default"]


@pytest.fixture
def clock(monkeypatch):
    """Move the time everyone reads (the services, the worker's queue)."""
    real_now = timezone.now
    offset = {"by": timedelta(0)}
    monkeypatch.setattr(timezone, "now", lambda: real_now() + offset["by"])

    def travel_to(moment):
        offset["by"] = moment - real_now()

    return travel_to


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "*", verbosity=0)


@pytest.fixture
def draft(writer):
    return make_article(author=writer, status=Article.Status.DRAFT, title="Liburan sekolah")


def saturday_seven_wib():
    """Next week's Saturday, 07:00 WIB."""
    today = timezone.now().astimezone(WIB).date()
    saturday = today + timedelta(days=(5 - today.weekday()) % 7 + 7)
    return datetime(saturday.year, saturday.month, saturday.day, 7, 0, tzinfo=WIB)


@worker_test
def test_the_worker_publishes_at_the_scheduled_time_and_tells_followers(
    writer, draft, database_tasks, clock
):
    follower = make_user(username="pengikut")
    Follow.objects.create(follower=follower, author=writer)
    when = saturday_seven_wib()

    services.schedule_article(draft, when=when, by=writer)

    (queued,) = DBTaskResult.objects.all()
    assert queued.task_path == "articles.tasks.publish_scheduled"
    assert queued.run_after == when
    run_worker()  # not yet its time: the queue keeps it
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT and draft.scheduled_at == when

    clock(when + timedelta(seconds=5))
    run_worker()  # publishes, and queues the notices to followers
    run_worker()  # writes them

    draft.refresh_from_db()
    assert draft.status == Article.Status.PUBLISHED
    assert draft.published_at >= when
    assert draft.scheduled_at is None
    assert Notification.objects.filter(recipient=follower).count() == 1


@worker_test
def test_a_moved_schedule_publishes_only_at_the_new_time(writer, draft, database_tasks, clock):
    first = saturday_seven_wib()
    later = first + timedelta(days=1)
    services.schedule_article(draft, when=first, by=writer)
    services.schedule_article(draft, when=later, by=writer)

    clock(first + timedelta(minutes=1))
    run_worker()
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT  # the first task found the time moved

    clock(later + timedelta(minutes=1))
    run_worker()
    draft.refresh_from_db()
    assert draft.status == Article.Status.PUBLISHED


@worker_test
def test_a_cancelled_schedule_publishes_nothing(writer, draft, database_tasks, clock):
    when = saturday_seven_wib()
    services.schedule_article(draft, when=when, by=writer)
    services.cancel_schedule(draft, by=writer)

    clock(when + timedelta(minutes=1))
    run_worker()

    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT
    assert draft.scheduled_at is None


@pytest.mark.django_db
def test_a_time_in_the_past_publishes_at_once(writer, draft):
    services.schedule_article(draft, when=timezone.now() - timedelta(hours=1), by=writer)

    draft.refresh_from_db()
    assert draft.status == Article.Status.PUBLISHED
    assert draft.scheduled_at is None


@pytest.mark.django_db
def test_publishing_by_hand_before_the_time_clears_the_schedule(writer, draft, clock):
    when = saturday_seven_wib()
    services.schedule_article(draft, when=when, by=writer)
    services.publish_article(draft, by=writer)
    published_at = draft.published_at

    clock(when + timedelta(minutes=1))
    assert services.publish_scheduled_article(draft.pk, when=when) is False
    draft.refresh_from_db()
    assert draft.published_at == published_at


@pytest.mark.django_db
@pytest.mark.parametrize("status", [Article.Status.PUBLISHED, Article.Status.HIDDEN])
def test_only_a_draft_can_be_scheduled(writer, status):
    article = make_article(author=writer, status=status)
    with pytest.raises(ValidationError):
        services.schedule_article(article, when=saturday_seven_wib(), by=writer)


@pytest.mark.django_db
def test_an_empty_draft_cannot_be_scheduled(writer):
    empty = make_article(author=writer, status=Article.Status.DRAFT, body="")
    with pytest.raises(ValidationError):
        services.schedule_article(empty, when=saturday_seven_wib(), by=writer)
    empty.refresh_from_db()
    assert empty.scheduled_at is None


@pytest.mark.django_db
def test_the_command_publishes_what_is_due(writer, draft, clock):
    when = saturday_seven_wib()
    services.schedule_article(draft, when=when, by=writer)  # immediate backend: not yet due
    call_command("publish_scheduled", verbosity=0)
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT

    clock(when)
    call_command("publish_scheduled", verbosity=0)
    draft.refresh_from_db()
    assert draft.status == Article.Status.PUBLISHED


# The write page --------------------------------------------------------------------------


@pytest.mark.django_db
def test_half_past_eleven_wib_is_half_past_four_utc(writer, draft):
    day = saturday_seven_wib().date()
    data = edit_data(draft, action="schedule", schedule_date=day.isoformat(), schedule_time="23:30")

    response = signed_in(writer).post(edit_url(draft), data)

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.scheduled_at == datetime(day.year, day.month, day.day, 16, 30, tzinfo=UTC)
    assert draft.status == Article.Status.DRAFT


@pytest.mark.django_db
def test_half_past_midnight_wib_is_the_evening_before_in_utc(writer, draft):
    day = saturday_seven_wib().date()
    data = edit_data(draft, action="schedule", schedule_date=day.isoformat(), schedule_time="00:30")

    signed_in(writer).post(edit_url(draft), data)

    draft.refresh_from_db()
    before = day - timedelta(days=1)
    assert draft.scheduled_at == datetime(before.year, before.month, before.day, 17, 30, tzinfo=UTC)


@pytest.mark.django_db
def test_the_write_page_and_my_articles_show_the_schedule_in_wib(writer, draft):
    when = saturday_seven_wib()
    services.schedule_article(draft, when=when, by=writer)
    client = signed_in(writer)

    page = client.get(edit_url(draft))
    (notice,) = find(page, "p", class_="scheduled-notice")
    assert "07:00 WIB" in text_of(notice)
    (time_input,) = find(page, "input", name="schedule_time")
    assert time_input.attrs["value"] == "07:00"
    (date_input,) = find(page, "input", name="schedule_date")
    assert date_input.attrs["value"] == when.date().isoformat()

    dashboard = client.get(reverse("articles:dashboard"))
    (scheduled,) = find(dashboard, "span", class_="status-scheduled")
    assert text_of(scheduled).startswith("Terjadwal:")
    assert "07:00 WIB" in text_of(scheduled)


@pytest.mark.django_db
def test_cancelling_from_the_write_page(writer, draft):
    services.schedule_article(draft, when=saturday_seven_wib(), by=writer)

    response = signed_in(writer).post(edit_url(draft), edit_data(draft, action="unschedule"))

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.scheduled_at is None
    assert draft.status == Article.Status.DRAFT


@pytest.mark.django_db
def test_scheduling_without_a_time_shows_an_error_and_changes_nothing(writer, draft):
    data = edit_data(draft, action="schedule", schedule_date="", schedule_time="07:00")

    response = signed_in(writer).post(edit_url(draft), data)

    assert response.status_code == 400
    assert field_error(response, "schedule_date") == "Pilih tanggal dan jam terbit."
    draft.refresh_from_db()
    assert draft.scheduled_at is None


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["31-02-2026", "besok", "2026-13-01", "9999-99-99"])
def test_a_malformed_date_is_refused(writer, draft, value):
    data = edit_data(draft, action="schedule", schedule_date=value, schedule_time="07:00")

    response = signed_in(writer).post(edit_url(draft), data)

    assert response.status_code == 400
    draft.refresh_from_db()
    assert draft.scheduled_at is None


@pytest.mark.django_db
def test_another_user_cannot_schedule(user, draft):
    data = edit_data(
        draft,
        action="schedule",
        schedule_date=saturday_seven_wib().date().isoformat(),
        schedule_time="07:00",
    )

    assert signed_in(user).post(edit_url(draft), data).status_code == 403
    draft.refresh_from_db()
    assert draft.scheduled_at is None
