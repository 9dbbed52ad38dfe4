"""Deliveries from the task worker: what each article event sends to whom, signed,
deduplicated per shared inbox, retried with backoff, paused by the per-server
circuit breaker; and the SSRF guard on every remote request."""

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.utils import timezone

from articles import services as article_services
from articles.models import Article
from comments.models import Comment
from federation import delivery, documents, remote, rfc9421, signatures
from federation.models import AuthorChoice, Delivery, DomainBlock, RemoteFollow, Server
from federation.services import block_domain
from tests.factories import make_article, make_topic, make_user

from .conftest import PEER, store_actor

pytestmark = pytest.mark.django_db


@pytest.fixture
def followers(author, politik, peer_keys, other_keys):
    """Two followers on peer.example (one shared inbox), one on another server,
    and a follower of the topic Politik on peer.example."""
    budi = store_actor("budi", peer_keys[1])
    citra = store_actor("citra", peer_keys[1])
    eko = store_actor("eko", other_keys[1], server="https://far.example")
    for actor in (budi, citra, eko):
        RemoteFollow.objects.create(actor=actor, user=author, activity_uri=f"{actor.uri}#f")
    RemoteFollow.objects.create(actor=budi, topic=politik, activity_uri=f"{budi.uri}#t")
    return budi, citra, eko


@pytest.fixture
def draft(author, politik):
    subtopic = make_topic("kebijakan", parent=politik)
    return make_article(
        author=author, topic=subtopic, status=Article.Status.DRAFT, title="Trotoar untuk semua",
        excerpt="Soal pejalan kaki.", tags=["kota"],
    )  # fmt: skip


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run the service and everything queued after its commit (the immediate backend)."""

    def go(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return go


def test_publishing_sends_create_once_per_shared_inbox_and_the_topic_announces(
    followers, draft, author, sent, run
):
    run(article_services.publish_article, draft, by=author)
    inboxes = [url for _, url, _, _ in sent]
    assert sorted(inboxes) == ["https://far.example/inbox", f"{PEER}/inbox", f"{PEER}/inbox"]
    creates = [json.loads(body) for _, url, _, body in sent if json.loads(body)["type"] == "Create"]
    assert len(creates) == 2  # peer.example once for both followers, far.example once
    article = creates[0]["object"]
    assert article["type"] == "Article" and article["name"] == "Trotoar untuk semua"
    assert article["preview"]["type"] == "Note"
    assert article["tag"][0]["name"] == "#kota"
    [announce] = [json.loads(body) for *_, body in sent if json.loads(body)["type"] == "Announce"]
    assert announce["actor"] == "https://kolom.test/ap/topics/politik"
    assert announce["object"] == f"https://kolom.test/ap/articles/{draft.pk}"
    for _method, _url, headers, body in sent:  # RFC 9421 first (double-knocking)
        assert headers["Content-Digest"] == rfc9421.content_digest(body)
        assert 'alg="rsa-v1_5-sha256"' in headers["Signature-Input"]
    assert Delivery.objects.filter(status="sent").count() == 3


def test_an_edit_sends_update_and_unpublishing_and_hiding_send_delete(
    followers, draft, author, politik, sent, run
):
    run(article_services.publish_article, draft, by=author)
    sent.clear()
    draft.refresh_from_db()
    data = {"title": "Trotoar untuk kita semua", "topic": draft.topic, "excerpt": "",
            "body": "<p>Isi baru.</p>", "cover_caption": "", "cover_credit": ""}  # fmt: skip
    run(article_services.save_article, draft, author=author, data=data, tags=["kota"])
    updates = [json.loads(body) for *_, body in sent]
    assert {item["type"] for item in updates} == {"Update"}
    assert updates[0]["object"]["name"] == "Trotoar untuk kita semua"
    # The topic's follower's server is among those told (peer.example, deduplicated).
    assert len(updates) == 2
    sent.clear()
    run(article_services.hide_article, draft)
    assert {json.loads(body)["type"] for *_, body in sent} == {"Delete"}
    assert json.loads(sent[0][3])["object"] == {
        "id": f"https://kolom.test/ap/articles/{draft.pk}",
        "type": "Tombstone",
    }
    sent.clear()
    run(article_services.restore_article, draft)
    assert "Create" in {json.loads(body)["type"] for *_, body in sent}
    sent.clear()
    draft.refresh_from_db()
    run(article_services.unpublish_article, draft, by=author)
    assert {json.loads(body)["type"] for *_, body in sent} == {"Delete"}


def test_an_author_who_opted_out_sends_nothing(followers, draft, author, sent, run):
    AuthorChoice.objects.create(user=author, federated=False)
    run(article_services.publish_article, draft, by=author)
    assert sent == [] and not Delivery.objects.exists()


def test_nothing_is_sent_to_a_blocked_server(followers, draft, author, sent, run):
    DomainBlock.objects.create(domain="far.example", reason="spam")
    run(article_services.publish_article, draft, by=author)
    assert "https://far.example/inbox" not in [url for _, url, _, _ in sent]


def _one_delivery(peer):
    key = documents.actors.key_for()
    [item] = delivery.queue({"id": "x", "type": "Create"}, key=key, inboxes=[peer.inbox])
    return item


def test_a_failure_is_retried_with_backoff_until_the_last_attempt(peer, sent):
    sent.status = 503
    item = _one_delivery(peer)
    before = timezone.now()
    delivery.attempt(item)
    item.refresh_from_db()
    assert item.status == "pending" and item.attempts == 1 and item.error == "HTTP 503"
    assert timedelta(seconds=55) < item.next_attempt_at - before < timedelta(seconds=65)
    Server.objects.update(failures_in_a_row=0)  # keep the breaker out of this test
    delivery.attempt(item)
    item.refresh_from_db()
    assert timedelta(seconds=235) < item.next_attempt_at - before < timedelta(seconds=245)
    for _ in range(delivery.MAX_ATTEMPTS - 2):
        Server.objects.update(failures_in_a_row=0)
        delivery.attempt(item)
    item.refresh_from_db()
    assert item.status == "failed" and item.attempts == delivery.MAX_ATTEMPTS
    assert len(sent) == delivery.MAX_ATTEMPTS


def test_retry_due_sends_only_what_is_due(peer, sent):
    sent.status = 500
    item = _one_delivery(peer)
    delivery.attempt(item)
    assert delivery.retry_due() == 0
    assert delivery.retry_due(now=timezone.now() + timedelta(minutes=2)) == 1
    item.refresh_from_db()
    assert item.attempts == 2


def test_a_gone_inbox_is_final_and_does_not_trip_the_breaker(peer, sent):
    sent.status = 410
    item = _one_delivery(peer)
    delivery.attempt(item)
    item.refresh_from_db()
    assert item.status == "failed" and item.attempts == 1
    assert Server.objects.get().failures_in_a_row == 0


def test_the_circuit_breaker_pauses_a_failing_server(peer, sent):
    sent.status = 500
    items = [_one_delivery(peer) for _ in range(delivery.BREAKER_FAILURES + 1)]
    for item in items[: delivery.BREAKER_FAILURES]:
        delivery.attempt(item)
    server = Server.objects.get()
    assert server.paused_until is not None and server.paused_until > timezone.now()
    calls = len(sent)
    waiting = items[-1]
    delivery.attempt(waiting)
    waiting.refresh_from_db()
    assert len(sent) == calls  # not tried while the breaker is open
    assert waiting.attempts == 0 and waiting.next_attempt_at == server.paused_until
    # Once the pause is over, a success closes the breaker.
    Server.objects.update(paused_until=timezone.now() - timedelta(seconds=1))
    sent.status = 202
    delivery.attempt(waiting)
    server.refresh_from_db()
    assert server.failures_in_a_row == 0 and server.paused_until is None
    waiting.refresh_from_db()
    assert waiting.status == "sent"


def test_blocking_a_server_hides_its_comments_and_ends_its_follows(peer, author, sent, run):
    article = make_article(author=author)
    from comments import services as comment_services
    from federation.remote_actors import stand_in_user

    comment = comment_services.post_comment(article, author=stand_in_user(peer), body="Halo")
    RemoteFollow.objects.create(actor=peer, user=author, activity_uri="f")
    sent.status = 500
    item = _one_delivery(peer)
    run(block_domain, "PEER.example", reason="Spam judi", by=make_user(is_staff=True))
    comment.refresh_from_db()
    assert comment.status == Comment.Status.HIDDEN_BY_MODERATOR
    assert not RemoteFollow.objects.exists()
    item.refresh_from_db()
    assert item.status == "failed"
    assert DomainBlock.objects.get().domain == "peer.example"


# The SSRF guard ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/inbox",
        "https://localhost/inbox",
        "https://10.1.2.3/inbox",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]/inbox",
        "https://[::ffff:127.0.0.1]/inbox",
        "http://peer.example/inbox",  # plain http
        "ftp://peer.example/inbox",
        "https://user:pass@peer.example/inbox",
    ],
)
def test_the_guard_refuses_private_addresses_and_odd_urls(url, settings):
    settings.FEDERATION_ALLOW_PRIVATE = False
    with pytest.raises(remote.Refused):
        remote.request("GET", url, headers={})


class _Inbox(BaseHTTPRequestHandler):
    """A server that takes any POST, or (``cavage_only``) answers 401 to an RFC 9421
    one, as a server that knows only draft-cavage does."""

    received: list = []
    reply = b""
    cavage_only = False

    def do_POST(self):
        length = int(self.headers["Content-Length"])
        self.received.append((self.path, dict(self.headers), self.rfile.read(length)))
        self.send_response(401 if self.cavage_only and "Signature-Input" in self.headers else 202)
        self.end_headers()

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "application/activity+json")
        self.end_headers()
        self.wfile.write(self.reply)

    def log_message(self, *args):
        pass


@pytest.fixture
def local_server(settings):
    settings.FEDERATION_ALLOW_PRIVATE = True
    _Inbox.received = []
    _Inbox.cavage_only = False
    server = HTTPServer(("127.0.0.1", 0), _Inbox)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_with_the_development_setting_a_signed_post_reaches_a_local_server(local_server, author):
    key = documents.actors.key_for(user=author)
    [item] = delivery.queue({"id": "x", "type": "Like"}, key=key, inboxes=[f"{local_server}/in"])
    delivery.attempt(item)
    item.refresh_from_db()
    assert item.status == "sent"
    [(path, headers, body)] = _Inbox.received  # the first knock got through
    lowered = {name.lower(): value for name, value in headers.items()}
    parsed = rfc9421.parse(lowered["signature-input"], lowered["signature"])
    assert parsed.key_id == "https://kolom.test/ap/users/devi#main-key"
    target = rfc9421.Target("POST", f"{local_server}{path}", lowered)
    rfc9421.verify(parsed, targets=[target], body=body, public_pem=key.public_pem)
    assert Server.objects.get().signature_scheme == "rfc9421"


def test_a_server_that_refuses_rfc9421_gets_draft_cavage_and_it_is_remembered(local_server, author):
    _Inbox.cavage_only = True
    key = documents.actors.key_for(user=author)
    inbox = f"{local_server}/in"
    [item] = delivery.queue({"id": "x", "type": "Like"}, key=key, inboxes=[inbox])
    delivery.attempt(item)
    item.refresh_from_db()
    assert item.status == "sent" and item.attempts == 1
    first, second = _Inbox.received
    assert "Signature-Input" in first[1] and "Signature-Input" not in second[1]
    path, headers, body = second
    lowered = {name.lower(): value for name, value in headers.items()}
    signatures.verify(
        signatures.parse(lowered["signature"]), method="POST", path=path, headers=lowered,
        body=body, public_pem=key.public_pem,
    )  # fmt: skip
    assert Server.objects.get().signature_scheme == "draft-cavage"
    # The next delivery knocks once, with the scheme that worked.
    [again] = delivery.queue({"id": "y", "type": "Like"}, key=key, inboxes=[inbox])
    delivery.attempt(again)
    assert len(_Inbox.received) == 3 and "Signature-Input" not in _Inbox.received[2][1]


def test_a_document_over_the_size_limit_is_refused(local_server, monkeypatch):
    monkeypatch.setattr(remote, "MAX_DOCUMENT_BYTES", 100)
    _Inbox.reply = json.dumps({"id": "x", "padding": "y" * 500}).encode()
    with pytest.raises(remote.FetchFailed, match="too large"):
        remote.fetch_json(f"{local_server}/users/x")
    monkeypatch.setattr(remote, "MAX_DOCUMENT_BYTES", 10_000)
    assert remote.fetch_json(f"{local_server}/users/x")["id"] == "x"
