"""Webhooks against a real HTTP server on loopback, started by the test: signed
deliveries, retries with backoff, the pause after repeated failures, the log, and
the SSRF guard that refuses our own network outside development."""

import hashlib
import hmac
import json
import socket
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.tasks import task_backends
from django.utils import timezone
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from api import outbound, services
from api.models import Delivery, Webhook
from articles import services as article_services
from articles.models import Article
from comments import services as comment_services
from core import events
from tests.api.conftest import bearer
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db


class Receiver:
    """A webhook receiver on 127.0.0.1: records each POST and answers the next
    status in ``statuses`` (200 once they run out)."""

    def __init__(self):
        self.requests: list[dict] = []
        self.statuses: list[int] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                receiver.requests.append(
                    {
                        "path": self.path,
                        "headers": dict(self.headers),
                        "body": self.rfile.read(length),
                    }
                )
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    with Receiver() as running:
        yield running


@pytest.fixture
def local_targets(settings):
    """The tests' receiver is on loopback, which the guard refuses in production."""
    settings.API_WEBHOOKS_ALLOW_PRIVATE = True


def register(api, secret, url, names, **extra):
    return api.post(
        "/api/v1/webhooks",
        {"url": url, "events": names, **extra},
        content_type="application/json",
        **bearer(secret),
    )


def verify(request, secret: str) -> dict:
    """Check a delivery's signature as a receiver would; its JSON."""
    timestamp = request["headers"]["X-KolomWarga-Timestamp"]
    expected = hmac.new(
        secret.encode(), f"{timestamp}.".encode() + request["body"], hashlib.sha256
    ).hexdigest()
    assert hmac.compare_digest(request["headers"]["X-KolomWarga-Signature"], f"sha256={expected}")
    return json.loads(request["body"])


# Deliveries ------------------------------------------------------------------------------


def test_a_publication_is_delivered_signed(
    api, author, topic, token_for, receiver, local_targets, django_capture_on_commit_callbacks
):
    token = token_for(author, "webhooks")
    created = register(api, token, receiver.url, ["article.published", "article.hidden"])
    assert created.status_code == 201, created.content
    secret = created.json()["secret"]
    draft = make_article(
        author=author, topic=topic, status=Article.Status.DRAFT, title="Kabar desa"
    )

    with django_capture_on_commit_callbacks(execute=True):
        article_services.publish_article(draft, by=author)

    [request] = receiver.requests
    body = verify(request, secret)
    assert request["headers"]["X-KolomWarga-Event"] == "article.published"
    assert body["event"] == "article.published"
    assert body["data"]["article"]["id"] == draft.pk
    assert body["data"]["article"]["title"] == "Kabar desa"
    assert Delivery.objects.get().status == Delivery.Status.SUCCEEDED

    with django_capture_on_commit_callbacks(execute=True):
        article_services.hide_article(draft)

    hidden = verify(receiver.requests[1], secret)
    assert hidden["event"] == "article.hidden"
    assert hidden["data"] == {"article": {"id": draft.pk}}  # nothing of what it said


def test_a_tampered_body_fails_the_signature(
    api, author, topic, token_for, receiver, local_targets, django_capture_on_commit_callbacks
):
    secret = register(api, token_for(author), receiver.url, ["article.published"]).json()["secret"]
    draft = make_article(author=author, topic=topic, status=Article.Status.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        article_services.publish_article(draft, by=author)

    request = dict(receiver.requests[0], body=receiver.requests[0]["body"].replace(b"id", b"ID"))

    with pytest.raises(AssertionError):
        verify(request, secret)


def test_a_hook_hears_only_its_owners_articles_and_a_site_wide_one_everything(
    api, author, topic, token_for, receiver, local_targets, django_capture_on_commit_callbacks
):
    staff = make_user(username="redaksi2", is_staff=True)
    register(api, token_for(author), receiver.url + "/ani", ["article.published", "comment.posted"])
    register(api, token_for(staff), receiver.url + "/semua", ["comment.posted"], site_wide=True)
    other = make_user(username="budi")
    theirs = make_article(author=other, topic=topic, status=Article.Status.DRAFT)
    reader = make_user(username="citra")

    with django_capture_on_commit_callbacks(execute=True):
        article_services.publish_article(theirs, by=other)
        comment_services.post_comment(theirs, author=reader, body="Mantap")

    assert [r["path"] for r in receiver.requests] == ["/hook/semua"]
    body = json.loads(receiver.requests[0]["body"])
    assert body["data"]["comment"]["text"] == "Mantap"


def test_only_staff_register_site_wide_hooks(api, author, token_for, receiver, local_targets):
    response = register(api, token_for(author), receiver.url, ["article.published"], site_wide=True)

    assert response.status_code == 403
    assert not Webhook.objects.exists()


def test_a_failed_delivery_is_retried_with_backoff_then_succeeds(
    api, author, topic, token_for, receiver, local_targets, django_capture_on_commit_callbacks
):
    register(api, token_for(author), receiver.url, ["article.published"])
    receiver.statuses = [500, 503]
    draft = make_article(author=author, topic=topic, status=Article.Status.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        article_services.publish_article(draft, by=author)

    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("pending", 1, 500)
    first_wait = delivery.next_attempt_at - timezone.now()
    assert timedelta(seconds=25) < first_wait <= timedelta(seconds=30)
    assert services.retry_due_deliveries() == 0  # not due yet

    services.retry_due_deliveries(now=delivery.next_attempt_at)
    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.error) == (2, "HTTP 503")
    assert delivery.next_attempt_at - timezone.now() > timedelta(seconds=110)  # 30 s times 4

    services.retry_due_deliveries(now=delivery.next_attempt_at)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("succeeded", 3)
    assert len(receiver.requests) == 3
    # Every attempt carries the same delivery id, so a receiver can drop duplicates.
    assert {r["headers"]["X-KolomWarga-Delivery"] for r in receiver.requests} == {str(delivery.pk)}
    assert Webhook.objects.get().failures_in_a_row == 0


def test_with_the_worker_a_retry_waits_in_the_queue(author, receiver, local_targets):
    hook = services.register_webhook(author, url=receiver.url, event_names=["article.published"])
    delivery = Delivery.objects.create(webhook=hook, event="article.published", payload={})
    receiver.statuses = [500]
    task_backends["default"] = DatabaseBackend(
        "default", {"BACKEND": "django_tasks_db.DatabaseBackend", "OPTIONS": {}}
    )
    try:
        services.attempt_delivery(delivery)
    finally:
        del task_backends["default"]

    queued = DBTaskResult.objects.get()
    assert queued.args_kwargs["args"] == [delivery.pk]
    assert queued.run_after > timezone.now() + timedelta(seconds=25)


def test_a_hook_that_keeps_failing_is_paused_and_can_be_resumed(
    api, author, token_for, receiver, local_targets, monkeypatch
):
    monkeypatch.setattr(services, "PAUSE_AFTER_FAILURES", 3)
    token = token_for(author)
    hook_id = register(api, token, receiver.url, ["article.updated"]).json()["id"]
    receiver.statuses = [500] * 10
    hook = Webhook.objects.get()
    for _ in range(3):
        services.attempt_delivery(
            Delivery.objects.create(webhook=hook, event="article.updated", payload={})
        )

    hook.refresh_from_db()
    assert hook.paused_at is not None
    assert services.receivers("article.updated", owner_id=author.pk) == []
    log = api.get(f"/api/v1/webhooks/{hook_id}/deliveries", **bearer(token)).json()["results"]
    assert [entry["status"] for entry in log] == ["failed", "pending", "pending"]
    assert log[0]["error"] == "HTTP 500"

    resumed = api.post(
        f"/api/v1/webhooks/{hook_id}/resume", {}, content_type="application/json", **bearer(token)
    )
    assert resumed.json()["paused_at"] is None
    assert services.receivers("article.updated", owner_id=author.pk) == [hook]


def test_a_removed_hook_gets_nothing_and_keeps_its_log(
    api, author, topic, token_for, receiver, local_targets, django_capture_on_commit_callbacks
):
    token = token_for(author)
    hook_id = register(api, token, receiver.url, ["article.published"]).json()["id"]

    removed = api.delete(f"/api/v1/webhooks/{hook_id}", **bearer(token))
    draft = make_article(author=author, topic=topic, status=Article.Status.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        article_services.publish_article(draft, by=author)

    assert removed.status_code == 204
    assert receiver.requests == []
    assert Webhook.objects.filter(pk=hook_id, is_active=False).exists()
    assert api.get("/api/v1/webhooks", **bearer(token)).json()["results"] == []


def test_another_users_hook_is_not_found(api, author, token_for, receiver, local_targets):
    hook_id = register(api, token_for(author), receiver.url, ["article.published"]).json()["id"]
    stranger = token_for(make_user(username="orang"))

    assert api.get(f"/api/v1/webhooks/{hook_id}", **bearer(stranger)).status_code == 404
    assert api.delete(f"/api/v1/webhooks/{hook_id}", **bearer(stranger)).status_code == 404
    assert Webhook.objects.get().is_active


def test_every_event_reaches_a_hook_that_wants_it(
    author, topic, receiver, local_targets, django_capture_on_commit_callbacks
):
    services.register_webhook(author, url=receiver.url, event_names=list(events.EVENTS))
    draft = make_article(author=author, topic=topic, status=Article.Status.DRAFT)
    reader = make_user(username="citra")
    steps = [
        lambda: article_services.publish_article(draft, by=author),
        lambda: article_services.save_article(
            draft,
            author=author,
            data={
                "title": "Baru",
                "topic": topic,
                "excerpt": "",
                "body": draft.body,
                "cover_caption": "",
                "cover_credit": "",
            },
            tags=[],
        ),
        lambda: comment_services.post_comment(draft, author=reader, body="Bagus"),
        lambda: comment_services.hide_comment_as_moderator(draft.comments.get()),
        lambda: article_services.hide_article(draft),
        lambda: article_services.restore_article(draft),
        lambda: article_services.unpublish_article(draft, by=author),
    ]
    for step in steps:  # each its own transaction, as requests are
        with django_capture_on_commit_callbacks(execute=True):
            step()

    sent = [json.loads(r["body"])["event"] for r in receiver.requests]
    assert sent == [
        "article.published",
        "article.updated",
        "comment.posted",
        "comment.hidden",
        "article.hidden",
        "article.restored",
        "article.unpublished",
    ]


# The SSRF guard --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/hook",
        "http://localhost/hook",
        "http://[::1]/hook",
        "http://10.0.0.5/hook",
        "http://192.168.1.1/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::ffff:127.0.0.1]/hook",
        "http://0.0.0.0/hook",
        "ftp://example.com/hook",
        "http://user:pass@example.com/hook",
        "http://100.64.0.1/hook",
    ],
)
def test_the_guard_refuses_our_own_network(api, author, token_for, url):
    response = register(api, token_for(author), url, ["article.published"])

    assert response.status_code == 422, response.content
    assert not Webhook.objects.exists()


def test_the_guard_checks_every_address_a_name_resolves_to(monkeypatch):
    def resolve(host, port, **kwargs):
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", port)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.7", port)),
        ]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)

    with pytest.raises(outbound.Refused, match=r"10\.0\.0\.7"):
        outbound.resolve("https://campuran.example/hook")


def test_the_guard_also_stops_a_delivery_whose_name_now_points_inside(
    author, receiver, settings, monkeypatch
):
    """Registered while public, the name later resolves to loopback (DNS rebinding):
    the delivery checks again and sends nothing."""
    settings.API_WEBHOOKS_ALLOW_PRIVATE = True
    hook = services.register_webhook(author, url=receiver.url, event_names=["article.published"])
    settings.API_WEBHOOKS_ALLOW_PRIVATE = False
    delivery = Delivery.objects.create(webhook=hook, event="article.published", payload={})

    services.attempt_delivery(delivery)

    assert receiver.requests == []
    delivery.refresh_from_db()
    assert "127.0.0.1" in delivery.error and delivery.status == "pending"
