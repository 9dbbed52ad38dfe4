"""Moderation across servers: a remote reply hidden here sends Reject{Note} to
its server and the author's followers' servers, shown again Accept{Note}; a
silenced server's replies are held for review while its follows, likes and boosts
go on; moderators silence or block a server in the admin, with the reason logged."""

import json

import pytest
from django.contrib.admin.models import LogEntry

from comments import services as comment_services
from comments.models import Comment
from federation.models import DomainBlock, Reaction, RemoteFollow, RemoteNote
from federation.services import block_domain
from tests.factories import make_article, make_user
from trust.models import HeldItem

from .conftest import PEER, post_activity, store_actor
from .test_inbox import create, follow, note

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(author):
    return make_article(author=author, title="Trotoar untuk semua")


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    def go(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return go


def post(peer, activity):
    return post_activity(activity, actor=peer, private_pem=peer.private_pem)


@pytest.fixture
def reply(peer, article, author, other_keys, sent):
    eko = store_actor("eko", other_keys[1], server="https://far.example")
    RemoteFollow.objects.create(actor=eko, user=author, activity_uri=f"{eko.uri}#f")
    response = post(peer, create(peer, note(peer, f"https://kolom.test/ap/articles/{article.pk}")))
    assert response.status_code == 202
    sent.clear()
    return Comment.objects.get()


# A hidden remote reply ----------------------------------------------------------------


def test_a_moderators_hide_sends_reject_and_restore_sends_accept(reply, peer, sent, run):
    run(comment_services.hide_comment_as_moderator, reply)
    assert sorted(url for _, url, _, _ in sent) == ["https://far.example/inbox", f"{PEER}/inbox"]
    reject = json.loads(sent[0][3])
    assert reject["type"] == "Reject"
    assert reject["actor"] == "https://kolom.test/ap/users/devi"
    assert reject["object"] == RemoteNote.objects.get().uri == f"{peer.uri}/statuses/1"
    assert reject["target"] == f"https://kolom.test/ap/articles/{reply.article_id}"
    sent.clear()
    run(comment_services.restore_comment_as_moderator, reply)
    accept = json.loads(sent[0][3])
    assert accept["type"] == "Accept" and accept["object"] == reject["object"]
    assert accept["id"] != reject["id"]


def test_the_authors_hide_sends_reject_too(reply, author, sent, run):
    run(comment_services.hide_comment_as_author, reply, by=author)
    assert {json.loads(body)["type"] for *_, body in sent} == {"Reject"}
    sent.clear()
    run(comment_services.unhide_comment_as_author, reply, by=author)
    assert {json.loads(body)["type"] for *_, body in sent} == {"Accept"}


def test_the_replier_deleting_their_note_sends_nothing_back(reply, peer, sent, run):
    delete = {"id": "d1", "type": "Delete", "actor": peer.uri, "object": f"{peer.uri}/statuses/1"}
    with_callbacks = run(post, peer, delete)
    assert with_callbacks.status_code == 202
    assert Comment.objects.get().status == Comment.Status.DELETED
    assert sent == []


def test_hiding_a_local_comment_sends_nothing(article, sent, run):
    local = comment_services.post_comment(article, author=make_user(), body="Komentar lokal")
    run(comment_services.hide_comment_as_moderator, local)
    assert sent == []


# A silenced server ----------------------------------------------------------------------


def test_a_silenced_servers_reply_is_held_for_review(peer, article, sent, client):
    DomainBlock.objects.create(domain="example", severity="silence", reason="Banyak spam")
    response = post(peer, create(peer, note(peer, f"https://kolom.test/ap/articles/{article.pk}")))
    assert response.status_code == 202
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.HELD
    held = HeldItem.objects.get(comment=comment)
    assert (held.rule, held.detail) == ("silenced_server", "peer.example")
    article.refresh_from_db()
    assert article.comment_count == 0
    assert "Setuju, trotoar" not in client.get(article.get_absolute_url()).content.decode()
    # A moderator lets it through: shown like any other.
    assert comment_services.release_held_comment(comment)
    assert "Setuju, trotoar" in client.get(article.get_absolute_url()).content.decode()


def test_a_silenced_server_still_follows_likes_and_boosts(peer, author, article, sent, run):
    DomainBlock.objects.create(domain="peer.example", severity="silence", reason="Banyak spam")
    response = run(post, peer, follow(peer))
    assert response.status_code == 202
    assert RemoteFollow.objects.filter(actor=peer, user=author).exists()
    assert [json.loads(body)["type"] for *_, body in sent] == ["Accept"]
    target = f"https://kolom.test/ap/articles/{article.pk}"
    like = {"id": f"{peer.uri}#likes/1", "type": "Like", "actor": peer.uri, "object": target}
    assert post(peer, like).status_code == 202
    assert Reaction.objects.count() == 1


def test_silencing_changes_nothing_already_there_and_blocking_later_does(
    peer, author, article, sent, run
):
    response = post(peer, create(peer, note(peer, f"https://kolom.test/ap/articles/{article.pk}")))
    assert response.status_code == 202
    RemoteFollow.objects.create(actor=peer, user=author, activity_uri="f")
    moderator = make_user(is_staff=True)
    block = run(block_domain, "peer.example", reason="Spam", by=moderator, severity="silence")
    assert Comment.objects.get().status == Comment.Status.VISIBLE
    assert RemoteFollow.objects.exists()
    from federation.services import change_domain_block

    run(change_domain_block, block, reason="Spam judi", severity="block")
    assert Comment.objects.get().status == Comment.Status.HIDDEN_BY_MODERATOR
    assert not RemoteFollow.objects.exists()
    assert post(peer, follow(peer)).status_code == 403


def test_moderators_silence_a_server_in_the_admin_with_the_reason_logged(client, peer, article):
    moderator = make_user(is_staff=True, is_superuser=True)
    client.force_login(moderator)
    response = client.post(
        "/admin/federation/domainblock/add/",
        {"domain": "Peer.Example", "severity": "silence", "reason": "Akun spam berdatangan"},
        HTTP_ACCEPT_LANGUAGE="id",
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    block = DomainBlock.objects.get()
    assert (block.domain, block.severity, block.created_by) == (
        "peer.example",
        "silence",
        moderator,
    )
    entry = LogEntry.objects.get()
    # Written in the moderator's language (Indonesian here), as the admin's history is.
    assert "Dibisukan" in entry.change_message and "Akun spam berdatangan" in entry.change_message
    response = client.post(
        f"/admin/federation/domainblock/{block.pk}/change/",
        {"severity": "block", "reason": "Tetap spam"},
        HTTP_ACCEPT_LANGUAGE="id",
    )
    assert response.status_code == 302
    block.refresh_from_db()
    assert block.severity == "block"
    assert "Kini diblokir" in LogEntry.objects.order_by("-pk").first().change_message
    listing = client.get("/admin/federation/domainblock/?severity__exact=block")
    assert "peer.example" in listing.content.decode()


def test_a_bad_severity_is_refused_in_the_admin(client, peer):
    client.force_login(make_user(is_staff=True, is_superuser=True))
    response = client.post(
        "/admin/federation/domainblock/add/",
        {"domain": "peer.example", "severity": "nuke", "reason": "x"},
    )
    assert response.status_code == 200
    assert not DomainBlock.objects.exists()
