"""Email goes through django.tasks: queued after the commit, sent by the worker,
one email per burst, as each person chose."""

import re
import threading
import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts.services import follow_author
from notifications import services
from notifications.models import EmailPreference, Notification
from tests.comments.builders import make_comment
from tests.factories import make_user

Kind = Notification.Kind
State = Notification.EmailState


# The worker checks its database connection between tasks (and closes one in
# a transaction), so its tests commit for real instead of running in a
# rolled-back transaction.
worker_test = pytest.mark.django_db(transaction=True)


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "*", verbosity=0)


def test_a_comment_is_emailed_after_the_commit_not_before(
    article, writer, reader, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks() as callbacks:
        make_comment(article, author=reader, body="Saya juga kebanjiran.")
    assert mailoutbox == []  # nothing is sent inside the transaction

    for callback in callbacks:
        callback()

    [mail] = mailoutbox
    assert mail.to == [writer.email]
    assert "Pembaca Setia" in mail.body and "Banjir di kampung kami" in mail.body
    assert mail.subject.startswith("1 ")
    notice = Notification.objects.get()
    assert notice.email_state == State.SENT and notice.emailed_at


def test_a_kind_switched_off_is_not_emailed(
    article, writer, reader, django_capture_on_commit_callbacks, mailoutbox
):
    services.save_email_preferences(writer, data={"email_reply": True})

    with django_capture_on_commit_callbacks(execute=True):
        make_comment(article, author=reader)

    assert mailoutbox == []
    assert Notification.objects.get().email_state == State.SKIPPED


@worker_test
def test_a_kind_switched_off_while_waiting_is_not_emailed(
    article, writer, reader, database_tasks, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        make_comment(article, author=reader)
    services.save_email_preferences(writer, data={})

    run_worker()

    assert mailoutbox == []
    assert Notification.objects.get().email_state == State.SKIPPED


@worker_test
def test_read_on_the_site_before_the_email_leaves_means_no_email(
    article, writer, reader, database_tasks, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        make_comment(article, author=reader)
    services.mark_all_read(writer)

    run_worker()

    assert mailoutbox == []


@worker_test
def test_the_worker_sends_a_burst_of_replies_as_one_email(
    article, writer, reader, database_tasks, django_capture_on_commit_callbacks, mailoutbox
):
    top = make_comment(article, author=writer, body="Bagaimana di tempat Anda?")
    repliers = [make_user(display_name=f"Warga {n}") for n in range(3)]

    for person in repliers:  # three requests, three transactions
        with django_capture_on_commit_callbacks(execute=True):
            make_comment(article, author=person, reply_to=top)

    # The first reply queued the email; the others joined it.
    assert DBTaskResult.objects.count() == 1
    assert mailoutbox == []
    run_worker()

    [mail] = mailoutbox
    assert mail.to == [writer.email]
    assert mail.subject.startswith("3 ")
    for person in repliers:
        assert person.name in mail.body
    assert set(Notification.objects.values_list("email_state", flat=True)) == {State.SENT}
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"

    # After that email, the next reply queues a new one.
    with django_capture_on_commit_callbacks(execute=True):
        make_comment(article, author=reader, reply_to=top)
    run_worker()

    assert len(mailoutbox) == 2
    assert mailoutbox[1].subject.startswith("1 ")
    assert reader.name in mailoutbox[1].body


@worker_test
def test_the_email_waits_for_the_configured_delay(
    article,
    writer,
    reader,
    settings,
    database_tasks,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    settings.NOTIFICATIONS_EMAIL_DELAY = 300
    with django_capture_on_commit_callbacks(execute=True):
        make_comment(article, author=reader)
    task = DBTaskResult.objects.get()
    assert task.run_after > timezone.now() + timedelta(seconds=250)

    run_worker()
    assert mailoutbox == []

    DBTaskResult.objects.update(run_after=timezone.now())
    run_worker()
    assert len(mailoutbox) == 1


@worker_test
def test_a_lost_email_task_does_not_silence_the_person_for_ever(
    article,
    writer,
    reader,
    neighbour,
    database_tasks,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    with django_capture_on_commit_callbacks(execute=True):
        make_comment(article, author=reader)
    DBTaskResult.objects.all().delete()  # the queue lost it
    EmailPreference.objects.filter(user=writer).update(
        email_due_at=timezone.now() - timedelta(hours=2)
    )

    with django_capture_on_commit_callbacks(execute=True):
        make_comment(article, author=neighbour)
    run_worker()

    [mail] = mailoutbox
    assert mail.subject.startswith("2 ")


@worker_test
def test_followers_are_emailed_by_the_worker(
    writer, database_tasks, django_capture_on_commit_callbacks, mailoutbox
):
    from articles.services import publish_article
    from tests.factories import make_article

    followers = [make_user() for _ in range(3)]
    for person in followers:
        follow_author(person, author=writer)
    run_worker()  # the follow notices
    mailoutbox.clear()
    draft = make_article(author=writer, status="draft", published_at=None)

    with django_capture_on_commit_callbacks(execute=True):
        publish_article(draft, by=writer)
    run_worker()

    assert sorted(mail.to[0] for mail in mailoutbox) == sorted(p.email for p in followers)
    assert all(draft.title in mail.body for mail in mailoutbox)


@worker_test
def test_a_failing_mail_server_leaves_the_notifications_pending(
    article,
    writer,
    reader,
    database_tasks,
    django_capture_on_commit_callbacks,
    settings,
    mailoutbox,
):
    settings.MAILERS = {"default": {"BACKEND": "tests.notifications.test_email.BrokenBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        make_comment(article, author=reader)

    run_worker()

    assert DBTaskResult.objects.get().status == "FAILED"
    assert Notification.objects.get().email_state == State.PENDING


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


@pytest.mark.parametrize("kind", [Kind.MODERATION])
def test_moderation_notices_have_no_email_switch(kind):
    assert EmailPreference.field_for(kind) is None


@pytest.mark.postgres
@worker_test
def test_a_notification_committed_while_its_email_is_being_sent_is_not_lost_on_postgresql(
    article, writer, reader, neighbour, database_tasks, mailoutbox
):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    make_comment(article, author=reader)  # queues the email task: the flag is set
    announced, release = threading.Event(), threading.Event()

    def slow_request():
        try:
            with transaction.atomic():
                make_comment(article, author=neighbour)  # sees the flag: queues nothing
                announced.set()
                release.wait(10)
        finally:
            connection.close()

    def email_task():
        try:
            services.send_pending_email(writer.pk)
        finally:
            connection.close()

    request = threading.Thread(target=slow_request)
    request.start()
    assert announced.wait(10)
    task = threading.Thread(target=email_task)
    task.start()
    time.sleep(0.5)
    assert task.is_alive()  # clearing the flag waits for the request's lock
    release.set()
    request.join(10)
    task.join(10)

    [mail] = mailoutbox
    assert mail.subject.startswith("2 ")
    assert not Notification.objects.filter(email_state=State.PENDING).exists()


def test_links_in_the_email_are_on_the_sites_public_address(
    article, writer, reader, django_capture_on_commit_callbacks, mailoutbox, settings
):
    settings.SITE_URL = "https://kolomwarga.example"
    with django_capture_on_commit_callbacks(execute=True):
        make_comment(article, author=reader, body="Saya juga kebanjiran.")

    [mail] = mailoutbox
    links = re.findall(r"https?://\S+", mail.body)
    assert len(links) >= 2  # the notification and the settings
    assert all(link.startswith("https://kolomwarga.example/") for link in links), links


def test_the_email_is_written_in_the_persons_language(
    article, writer, reader, django_capture_on_commit_callbacks, mailoutbox
):
    writer.language = "en"
    writer.save(update_fields=["language"])

    with django_capture_on_commit_callbacks(execute=True):
        make_comment(article, author=reader, body="Saya juga kebanjiran.")

    [mail] = mailoutbox
    assert mail.subject.startswith("1 new notification")
    assert "Here is what happened since our last email:" in mail.body
    assert "Inilah" not in mail.body
