"""Against a real peer: a Fedify server (tests/federation/peer/peer.mjs, from npm)
on 127.0.0.1 finds an author by WebFinger, fetches the actor and outbox,
follows with an RFC 9421 signature that our inbox takes at the first knock, gets
our Accept (signed RFC 9421 too, and verified by Fedify), receives the
Create{Article} when the author publishes, replies with a Note that becomes a
comment, receives the Reject and Accept of that note when a moderator hides it
and shows it again, the Update{Person} of an edited profile and the
Delete{Person} when the author turns federation off, finds the actor gone (410),
follows again once it is back, and unfollows.

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

from accounts import services as account_services
from articles import services as article_services
from articles.models import Article
from comments import services as comment_services
from comments.models import Comment
from federation.models import RemoteFollow, Server
from federation.services import save_author_choice
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
    author_id = f"{live_server.url}/ap/users/devi"
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
        # Fedify's first knock (RFC 9421) got through; so did ours.
        assert accepted["spec"] == "rfc9421"
        assert Server.objects.get(domain="127.0.0.1").signature_scheme == "rfc9421"
        follow = RemoteFollow.objects.select_related("actor").get(user=author)
        assert follow.actor.handle == "@budi@127.0.0.1"

        article_services.publish_article(draft, by=author)
        arrived = peer.expect("article")
        assert arrived["id"] == f"{live_server.url}/ap/articles/{draft.pk}"
        assert arrived["name"] == "Trotoar untuk semua"

        replied = peer.expect("replied")
        comment = Comment.objects.select_related("author").get(article=draft)
        assert comment.author.display_name == "@budi@127.0.0.1"
        assert comment.body == "Tulisan yang bagus, terima kasih!"
        assert comment.is_visible

        comment_services.hide_comment_as_moderator(comment)
        rejected = peer.expect("rejected")
        assert rejected == {**rejected, "actor": author_id, "object": replied["note"]}
        comment_services.restore_comment_as_moderator(comment)
        assert peer.expect("restored")["object"] == replied["note"]

        data = {name: getattr(author, name) for name in ("occupation", "tagline", "bio")}
        data["display_name"] = "Devi Pertiwi Sari"
        account_services.update_profile(author, data=data)
        updated = peer.expect("updated")
        assert updated == {**updated, "actor": author_id, "name": "Devi Pertiwi Sari"}

        save_author_choice(author, federated=False)
        deleted = peer.expect("deleted")
        assert deleted == {**deleted, "actor": author_id, "object": author_id, "status": 410}
        assert not RemoteFollow.objects.filter(user=author).exists()

        save_author_choice(author, federated=True)
        assert peer.expect("refollowed")["actor"] == author_id
        assert RemoteFollow.objects.filter(user=author).exists()

        peer.expect("unfollowed")
        assert not RemoteFollow.objects.filter(user=author).exists()
        assert peer.process.wait(timeout=20) == 0
    finally:
        peer.stop()


def test_the_peer_script_is_where_the_test_expects_it():
    assert PEER.is_file()
    assert shutil.which("node") or NODE.exists() or not REQUIRED
