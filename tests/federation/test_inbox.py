"""What other servers post to our inboxes: refused when unsigned, wrongly signed,
too large or from a blocked server; each activity handled as the README says."""

import json

import pytest
from django.test import Client

from comments import services as comment_services
from comments.models import Comment
from federation import remote, remote_actors
from federation.models import DomainBlock, Reaction, RemoteActor, RemoteFollow, RemoteNote
from tests.factories import make_article, make_user

from .conftest import PEER, post_activity, store_actor

pytestmark = pytest.mark.django_db

DEVI = "https://kolom.test/ap/users/devi"


def follow(peer, target=DEVI, number=1):
    return {
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": f"{peer.uri}#follows/{number}",
        "type": "Follow",
        "actor": peer.uri,
        "object": target,
    }


def note(peer, in_reply_to, *, number=1, content="<p>Setuju, trotoar kita sempit.</p>"):
    return {
        "id": f"{peer.uri}/statuses/{number}",
        "type": "Note",
        "attributedTo": peer.uri,
        "inReplyTo": in_reply_to,
        "content": content,
        "url": f"{PEER}/@budi/{number}",
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
    }


def create(peer, obj, number=1):
    return {"id": f"{obj['id']}/activity", "type": "Create", "actor": peer.uri, "object": obj}


def post(peer, activity, **kwargs):
    return post_activity(activity, actor=peer, private_pem=peer.private_pem, **kwargs)


# Refusals ----------------------------------------------------------------------------


def test_an_unsigned_post_is_refused_with_401(author):
    response = Client().post(
        "/ap/inbox", data=b"{}", content_type="application/activity+json", HTTP_HOST="kolom.test"
    )
    assert response.status_code == 401


def test_a_post_signed_with_another_key_is_refused(peer, author, other_keys, sent):
    response = post_activity(follow(peer), actor=peer, private_pem=other_keys[0])
    assert response.status_code == 401
    assert not RemoteFollow.objects.exists()


def test_a_body_changed_after_signing_is_refused(peer, author, sent):
    signed = json.dumps(follow(peer)).encode()
    response = post(peer, follow(peer), body=signed, send=signed.replace(b"Follow", b"Block "))
    assert response.status_code == 401
    assert not RemoteFollow.objects.exists()


def test_the_same_post_twice_is_a_replay(peer, author, sent, monkeypatch):
    from federation import signatures

    # The same Date, key and body: the very same signature (PKCS#1 v1.5 is deterministic).
    monkeypatch.setattr(signatures, "http_date", lambda: "Wed, 02 Dec 2026 10:00:00 GMT")
    monkeypatch.setattr(signatures, "check_freshness", lambda headers: None)
    body = json.dumps(follow(peer)).encode()
    assert post(peer, {}, body=body).status_code == 202
    RemoteFollow.objects.all().delete()
    assert post(peer, {}, body=body).status_code == 401
    assert not RemoteFollow.objects.exists()


def test_an_activity_for_another_actor_is_refused(peer, author, sent, other_keys):
    other = store_actor("citra", other_keys[1])
    activity = follow(peer)
    activity["actor"] = other.uri
    assert post(peer, activity).status_code == 401
    assert not RemoteFollow.objects.exists()


def test_a_blocked_server_gets_403(peer, author, sent):
    DomainBlock.objects.create(domain="example", reason="spam")  # peer.example is under it
    assert post(peer, follow(peer)).status_code == 403
    assert not RemoteFollow.objects.exists()


def test_a_body_over_the_limit_gets_413(peer, author, settings, sent):
    settings.FEDERATION_MAX_BODY_BYTES = 1000
    activity = follow(peer)
    activity["padding"] = "x" * 2000
    assert post(peer, activity).status_code == 413


def test_a_server_posting_too_fast_gets_429(peer, author, settings, sent):
    settings.FEDERATION_INBOX_RATE = 2
    statuses = [post(peer, follow(peer, number=n)).status_code for n in range(4)]
    assert statuses == [202, 202, 429, 429]


def test_not_json_gets_400(peer, author, sent):
    assert post(peer, {}, body=b"not json").status_code == 400


def test_an_unknown_key_is_fetched_and_cached(peer_keys, author, sent, monkeypatch):
    fetched = []

    def fake_signed_get(url):
        fetched.append(url)
        return {
            "id": f"{PEER}/users/eko",
            "type": "Person",
            "preferredUsername": "eko",
            "inbox": f"{PEER}/users/eko/inbox",
            "endpoints": {"sharedInbox": f"{PEER}/inbox"},
            "publicKey": {
                "id": f"{PEER}/users/eko#main-key",
                "owner": f"{PEER}/users/eko",
                "publicKeyPem": peer_keys[1],
            },
        }

    monkeypatch.setattr(remote_actors, "signed_get", fake_signed_get)
    eko = RemoteActor(uri=f"{PEER}/users/eko", key_id=f"{PEER}/users/eko#main-key")
    for number in (1, 2):
        response = post_activity(follow(eko, number=number), actor=eko, private_pem=peer_keys[0])
        assert response.status_code == 202
    assert fetched == [f"{PEER}/users/eko"]  # once, then from the database
    stored = RemoteActor.objects.get(uri=f"{PEER}/users/eko")
    assert stored.handle == "@eko@peer.example" and stored.shared_inbox == f"{PEER}/inbox"


def test_an_actor_document_from_another_server_is_refused(peer_keys, author, sent, monkeypatch):
    monkeypatch.setattr(
        remote_actors, "signed_get",
        lambda url: {"id": "https://evil.example/users/eko", "inbox": "https://evil.example/i",
                     "publicKey": {"publicKeyPem": peer_keys[1]}},
    )  # fmt: skip
    eko = RemoteActor(uri=f"{PEER}/users/eko", key_id=f"{PEER}/users/eko#main-key")
    response = post_activity(follow(eko), actor=eko, private_pem=peer_keys[0])
    assert response.status_code == 401
    assert not RemoteActor.objects.filter(uri__contains="evil").exists()


def test_an_actor_whose_key_id_is_on_another_server_is_refused(peer_keys, author, monkeypatch):
    monkeypatch.setattr(
        remote_actors, "signed_get",
        lambda url: {"id": f"{PEER}/users/eko", "inbox": f"{PEER}/users/eko/inbox",
                     "publicKey": {"id": "https://trusted.example/users/x#main-key",
                                   "owner": f"{PEER}/users/eko", "publicKeyPem": peer_keys[1]}},
    )  # fmt: skip
    eko = RemoteActor(uri=f"{PEER}/users/eko", key_id=f"{PEER}/users/eko#main-key")
    assert post_activity(follow(eko), actor=eko, private_pem=peer_keys[0]).status_code == 401
    assert not RemoteActor.objects.filter(uri=eko.uri).exists()


# Follow ------------------------------------------------------------------------------


def test_follow_is_stored_and_answered_with_a_signed_accept(
    peer, author, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert post(peer, follow(peer)).status_code == 202
    assert RemoteFollow.objects.filter(actor=peer, user=author).exists()
    [(method, url, headers, body)] = sent
    assert (method, url) == ("POST", peer.inbox)
    accept = json.loads(body)
    assert accept["type"] == "Accept" and accept["actor"] == DEVI
    assert accept["object"]["id"] == f"{peer.uri}#follows/1"
    assert 'keyid="https://kolom.test/ap/users/devi#main-key"' in headers["Signature-Input"]
    assert headers["Content-Digest"].startswith("sha-256=:")


def test_following_a_topic_and_an_author_who_opted_out(
    peer, author, politik, sent, django_capture_on_commit_callbacks
):
    from federation.models import AuthorChoice

    AuthorChoice.objects.create(user=author, federated=False)
    with django_capture_on_commit_callbacks(execute=True):
        post(peer, follow(peer, "https://kolom.test/ap/topics/politik"))
        post(peer, follow(peer, number=2))
    assert list(RemoteFollow.objects.values_list("topic__slug", "user")) == [("politik", None)]
    assert [json.loads(body)["actor"] for *_, body in sent] == [
        "https://kolom.test/ap/topics/politik"
    ]


def test_undo_follow_removes_it(peer, author, sent):
    post(peer, follow(peer))
    undo = {"id": f"{peer.uri}#undo/1", "type": "Undo", "actor": peer.uri, "object": follow(peer)}
    assert post(peer, undo).status_code == 202
    assert not RemoteFollow.objects.exists()


def test_follower_count_counts_remote_and_local_followers(peer, author, sent):
    post(peer, follow(peer))
    from accounts.models import Follow

    Follow.objects.create(follower=make_user(), author=author)
    response = Client(HTTP_HOST="kolom.test").get("/ap/users/devi/followers")
    assert json.loads(response.content)["totalItems"] == 2


# Replies -----------------------------------------------------------------------------


@pytest.fixture
def article(author):
    return make_article(author=author, title="Trotoar untuk semua")


def test_a_reply_to_an_article_becomes_a_comment_by_a_stand_in(peer, article, sent, client):
    hostile = '<p>Setuju!</p><script>alert(1)</script><p><a href="javascript:x">a</a></p>'
    reply = note(peer, f"https://kolom.test/ap/articles/{article.pk}", content=hostile)
    assert post(peer, create(peer, reply)).status_code == 202
    comment = Comment.objects.get()
    assert comment.article == article
    assert comment.author.display_name == "@budi@peer.example"
    assert comment.author.has_usable_password() is False
    assert "alert" not in comment.body and "javascript" not in comment.body_html
    assert "Setuju!" in comment.body
    assert RemoteNote.objects.get().comment == comment
    article.refresh_from_db()
    assert article.comment_count == 1
    # The stand-in's page is their profile on their own server.
    response = client.get(comment.author.get_absolute_url())
    assert response.status_code == 302 and response["Location"] == f"{PEER}/@budi"
    page = client.get(article.get_absolute_url()).content.decode()
    assert "@budi@peer.example" in page


def test_a_reply_to_a_remote_comment_is_threaded(peer, article, sent):
    post(peer, create(peer, note(peer, f"https://kolom.test/ap/articles/{article.pk}")))
    first = Comment.objects.get()
    answer = note(peer, f"{peer.uri}/statuses/1", number=2, content="<p>Dan lampunya.</p>")
    from django.core.cache import cache

    # The flood rule holds for remote writers too (next test): let the time pass.
    cache.delete(f"comment:flood:{first.author_id}")
    assert post(peer, create(peer, answer)).status_code == 202
    second = Comment.objects.exclude(pk=first.pk).get()
    assert second.reply_to == first and second.parent == first


def test_remote_replies_obey_flood_control(peer, article, sent):
    post(peer, create(peer, note(peer, f"https://kolom.test/ap/articles/{article.pk}")))
    again = note(peer, f"https://kolom.test/ap/articles/{article.pk}", number=2, content="Lagi")
    assert post(peer, create(peer, again)).status_code == 429
    assert Comment.objects.count() == 1


def test_a_note_replying_to_nothing_of_ours_is_ignored(peer, article, sent):
    post(peer, create(peer, note(peer, "https://elsewhere.example/notes/1")))
    post(peer, create(peer, note(peer, "https://kolom.test/ap/articles/999999", number=2)))
    assert not Comment.objects.exists()


def test_a_note_attributed_to_someone_else_is_ignored(peer, article, sent):
    forged = note(peer, f"https://kolom.test/ap/articles/{article.pk}")
    forged["attributedTo"] = f"{PEER}/users/citra"
    post(peer, create(peer, forged))
    assert not Comment.objects.exists()


def test_update_and_delete_of_the_note(peer, article, sent):
    reply = note(peer, f"https://kolom.test/ap/articles/{article.pk}")
    post(peer, create(peer, reply))
    changed = {**reply, "content": "<p>Ralat: trotoar kita lebar.</p>"}
    update = {"id": f"{reply['id']}#update", "type": "Update", "actor": peer.uri, "object": changed}
    assert post(peer, update).status_code == 202
    comment = Comment.objects.get()
    assert comment.body == "Ralat: trotoar kita lebar." and comment.edited_at is not None
    delete = {"id": f"{reply['id']}#delete", "type": "Delete", "actor": peer.uri,
              "object": {"id": reply["id"], "type": "Tombstone"}}  # fmt: skip
    assert post(peer, delete).status_code == 202
    comment.refresh_from_db()
    assert comment.status == Comment.Status.DELETED
    article.refresh_from_db()
    assert article.comment_count == 0


def test_someone_else_cannot_update_or_delete_the_note(peer, article, sent, other_keys):
    reply = note(peer, f"https://kolom.test/ap/articles/{article.pk}")
    post(peer, create(peer, reply))
    citra = store_actor("citra", other_keys[1])
    delete = {"id": "x", "type": "Delete", "actor": citra.uri, "object": reply["id"]}
    assert post_activity(delete, actor=citra, private_pem=other_keys[0]).status_code == 202
    assert Comment.objects.get().status == Comment.Status.VISIBLE


def test_a_moderator_hides_a_remote_comment_like_a_local_one(peer, article, sent):
    post(peer, create(peer, note(peer, f"https://kolom.test/ap/articles/{article.pk}")))
    comment = Comment.objects.get()
    assert comment_services.hide_comment_as_moderator(comment)
    comment.refresh_from_db()
    assert comment.status == Comment.Status.HIDDEN_BY_MODERATOR


def test_delete_of_the_actor_removes_their_comments_and_follows(peer, article, author, sent):
    post(peer, follow(peer))
    post(peer, create(peer, note(peer, f"https://kolom.test/ap/articles/{article.pk}")))
    delete = {"id": f"{peer.uri}#delete", "type": "Delete", "actor": peer.uri, "object": peer.uri}
    assert post(peer, delete).status_code == 202
    assert Comment.objects.get().status == Comment.Status.DELETED
    assert not RemoteFollow.objects.exists()
    peer.refresh_from_db()
    assert peer.deleted_at is not None


def test_delete_of_an_actor_we_never_knew_is_accepted(peer_keys, author, monkeypatch):
    def gone(url):
        raise remote.FetchFailed("HTTP 410")

    monkeypatch.setattr(remote_actors, "signed_get", gone)
    ghost = RemoteActor(uri=f"{PEER}/users/ghost", key_id=f"{PEER}/users/ghost#main-key")
    delete = {"id": "d", "type": "Delete", "actor": ghost.uri, "object": ghost.uri}
    assert post_activity(delete, actor=ghost, private_pem=peer_keys[0]).status_code == 202
    follow_ = {"id": "f", "type": "Follow", "actor": ghost.uri, "object": DEVI}
    assert post_activity(follow_, actor=ghost, private_pem=peer_keys[0]).status_code == 401


# Reactions ---------------------------------------------------------------------------


def test_like_and_announce_are_counted_once_and_undone(peer, article, sent):
    target = f"https://kolom.test/ap/articles/{article.pk}"
    like = {"id": f"{peer.uri}#likes/1", "type": "Like", "actor": peer.uri, "object": target}
    boost = {"id": f"{peer.uri}#boosts/1", "type": "Announce", "actor": peer.uri, "object": target}
    like_again = {**like, "id": f"{peer.uri}#likes/2"}
    for activity in (like, like_again, boost):
        assert post(peer, activity).status_code == 202
    assert sorted(Reaction.objects.values_list("kind", flat=True)) == ["announce", "like"]
    post(peer, {"id": "u", "type": "Undo", "actor": peer.uri, "object": like})
    assert list(Reaction.objects.values_list("kind", flat=True)) == ["announce"]


def test_other_activities_are_accepted_and_ignored(peer, author, sent):
    for kind in ("Block", "Move", "Flag", "Add", None):
        activity = {"id": f"x-{kind}", "type": kind, "actor": peer.uri, "object": DEVI}
        assert post(peer, activity).status_code == 202
    assert not RemoteFollow.objects.exists() and not sent
