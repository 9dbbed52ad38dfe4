"""Against a real peer: a Fedify server (tests/federation/peer/peer.mjs, from npm)
on 127.0.0.1 finds an author by WebFinger, fetches the actor and outbox,
follows, gets our signed Accept, receives the Create{Article} when the author
publishes, replies with a Note that becomes a comment, and unfollows.

Needs `make e2e-deps` (npm ci: @fedify/fedify and Node 22 from npm); skipped
without it unless E2E_REQUIRED=1 (`make test-e2e`), where it must run."""

import json
import os
import queue
import shutil
import subprocess
import threading
from pathlib import Path

import pytest

from articles import services as article_services
from articles.models import Article
from comments.models import Comment
from federation.models import RemoteFollow
from tests.factories import make_article, make_topic, make_user

ROOT = Path(__file__).resolve().parents[2]
PEER = Path(__file__).with_name("peer") / "peer.mjs"
FEDIFY = ROOT / "node_modules" / "@fedify" / "fedify"
# The npm package "node" (22.x, pinned in package-lock.json): Fedify needs Node 22.
NODE = ROOT / "node_modules" / ".bin" / "node"
REQUIRED = os.environ.get("E2E_REQUIRED") == "1"

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _node() -> str | None:
    if FEDIFY.is_dir() and NODE.exists():
        return str(NODE)
    return None


@pytest.fixture
def node():
    found = _node()
    if found is None:
        message = "Fedify or Node 22 not installed (make e2e-deps): the peer test NOT RUN"
        if REQUIRED:
            pytest.fail(message)
        pytest.skip(message)
    return found


class Peer:
    def __init__(self, node: str, site: str, username: str):
        self.process = subprocess.Popen(  # noqa: S603 (our own script, fixed arguments)
            [node, str(PEER), site, username],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        self.lines: queue.Queue = queue.Queue()
        self.stderr: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._read_errors, daemon=True).start()

    def _read(self):
        for line in self.process.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def _read_errors(self):
        for line in self.process.stderr:
            self.stderr.append(line)

    def expect(self, step: str, timeout: float = 45) -> dict:
        while True:
            try:
                line = self.lines.get(timeout=timeout)
            except queue.Empty:
                pytest.fail(f"the peer said nothing for {timeout} s waiting for {step!r}")
            if line is None:
                pytest.fail(f"the peer ended before {step!r}: {''.join(self.stderr)[-3000:]}")
            if not line.startswith("{"):
                continue  # Fedify's own logging
            message = json.loads(line)
            if message["step"] == "error":
                pytest.fail(f"the peer failed: {message['message']} {''.join(self.stderr)[-2000:]}")
            assert message["step"] == step, message
            return message

    def stop(self):
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=10)


def test_a_fedify_server_follows_receives_replies_and_unfollows(node, live_server, settings):
    settings.SITE_URL = live_server.url
    settings.FEDERATION_ALLOW_PRIVATE = True
    author = make_user(username="devi", display_name="Devi Pertiwi")
    make_article(author=author, title="Tulisan lama")
    draft = make_article(
        author=author, topic=make_topic("politik"), status=Article.Status.DRAFT,
        title="Trotoar untuk semua", body="<p>Trotoar kita sempit.</p>",
    )  # fmt: skip
    peer = Peer(node, live_server.url, "devi")
    try:
        peer.expect("listening")
        found = peer.expect("looked-up")
        host = live_server.url.removeprefix("http://")
        assert found["subject"] == f"acct:devi@{host}"
        assert found["actor"] == f"{live_server.url}/ap/users/devi"
        assert found["name"] == "Devi Pertiwi"
        assert found["sharedInbox"] == f"{live_server.url}/ap/inbox"
        assert found["outboxTotal"] == 1

        accepted = peer.expect("accepted")
        assert accepted["actor"] == f"{live_server.url}/ap/users/devi"
        follow = RemoteFollow.objects.select_related("actor").get(user=author)
        assert follow.actor.handle == "@budi@127.0.0.1"

        article_services.publish_article(draft, by=author)
        arrived = peer.expect("article")
        assert arrived["id"] == f"{live_server.url}/ap/articles/{draft.pk}"
        assert arrived["name"] == "Trotoar untuk semua"

        peer.expect("replied")
        comment = Comment.objects.select_related("author").get(article=draft)
        assert comment.author.display_name == "@budi@127.0.0.1"
        assert comment.body == "Tulisan yang bagus, terima kasih!"
        assert comment.is_visible

        peer.expect("unfollowed")
        assert not RemoteFollow.objects.filter(user=author).exists()
        assert peer.process.wait(timeout=20) == 0
    finally:
        peer.stop()


def test_the_peer_script_is_where_the_test_expects_it():
    assert PEER.is_file()
    assert shutil.which("node") or NODE.exists() or not REQUIRED
