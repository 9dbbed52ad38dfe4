"""WebFinger, NodeInfo, host-meta, the actors and content negotiation on the
author, topic and article pages, with the page cache on."""

import json

import pytest
from django.test import Client

from federation.models import AuthorChoice, LocalKey
from tests.factories import make_article, make_topic

pytestmark = pytest.mark.django_db

AS_JSON = "application/activity+json"
LD_JSON = 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"'


@pytest.fixture
def client():
    return Client(HTTP_HOST="kolom.test")


def _json(response):
    assert response.status_code == 200, response.content[:300]
    return json.loads(response.content)


def test_webfinger_finds_an_author_by_acct_and_by_profile_url(client, author):
    for resource in (
        "acct:devi@kolom.test",
        "https://kolom.test/penulis/devi/",
        "https://kolom.test/ap/users/devi",
    ):
        found = _json(client.get("/.well-known/webfinger", {"resource": resource}))
        assert found["subject"] == "acct:devi@kolom.test"
        self_link = next(link for link in found["links"] if link["rel"] == "self")
        assert self_link == {
            "rel": "self",
            "type": "application/activity+json",
            "href": "https://kolom.test/ap/users/devi",
        }


def test_webfinger_finds_a_top_level_topic_but_not_a_subtopic(client, politik):
    make_topic("kebijakan", parent=politik)
    found = _json(client.get("/.well-known/webfinger", {"resource": "acct:politik@kolom.test"}))
    assert found["links"][0]["href"] == "https://kolom.test/ap/topics/politik"
    response = client.get("/.well-known/webfinger", {"resource": "acct:kebijakan@kolom.test"})
    assert response.status_code == 404


@pytest.mark.parametrize(
    "resource", ["acct:devi@elsewhere.example", "acct:nobody@kolom.test", "", "x" * 5000, "@@"]
)
def test_webfinger_answers_404_for_anything_else(client, author, resource):
    assert client.get("/.well-known/webfinger", {"resource": resource}).status_code == 404


def test_an_author_who_turned_federation_off_cannot_be_found(client, author):
    AuthorChoice.objects.create(user=author, federated=False)
    response = client.get("/.well-known/webfinger", {"resource": "acct:devi@kolom.test"})
    assert response.status_code == 404
    assert client.get("/ap/users/devi").status_code == 404
    page = client.get("/penulis/devi/", HTTP_ACCEPT=AS_JSON)
    assert page["Content-Type"].startswith("text/html")


def test_a_suspended_author_is_not_federated(client, author):
    author.suspended_indefinitely = True
    author.save()
    assert client.get("/ap/users/devi").status_code == 404


def test_nodeinfo_and_host_meta(client, author):
    make_article(author=author)
    links = _json(client.get("/.well-known/nodeinfo"))
    assert links["links"][0]["href"] == "https://kolom.test/nodeinfo/2.1"
    info = _json(client.get("/nodeinfo/2.1"))
    assert info["protocols"] == ["activitypub"]
    assert info["usage"]["users"]["total"] == 1
    assert info["usage"]["localPosts"] == 1
    meta = client.get("/.well-known/host-meta")
    assert b'template="https://kolom.test/.well-known/webfinger?resource={uri}"' in meta.content


def test_federation_off_hides_every_endpoint(client, author, settings):
    settings.FEDERATION = False
    for path in ("/.well-known/webfinger?resource=acct:devi@kolom.test", "/ap/users/devi",
                 "/nodeinfo/2.1"):  # fmt: skip
        assert client.get(path).status_code == 404
    assert client.get("/penulis/devi/", HTTP_ACCEPT=AS_JSON)["Content-Type"].startswith("text/html")


def test_the_person_has_a_public_key_and_never_the_private_one(client, author):
    person = _json(client.get("/ap/users/devi"))
    assert person["type"] == "Person"
    assert person["preferredUsername"] == "devi"
    assert person["name"] == "Devi Pertiwi"
    assert person["inbox"] == "https://kolom.test/ap/users/devi/inbox"
    assert person["endpoints"]["sharedInbox"] == "https://kolom.test/ap/inbox"
    assert person["url"] == "https://kolom.test/penulis/devi/"
    assert "<p>Menulis soal kota.</p>" in person["summary"]
    assert person["discoverable"] is True and person["indexable"] is True
    key = LocalKey.objects.get(user=author)
    assert person["publicKey"]["publicKeyPem"] == key.public_pem
    assert "PRIVATE" not in json.dumps(person)
    # Made once: the same key the next time.
    assert _json(client.get("/ap/users/devi"))["publicKey"] == person["publicKey"]
    assert LocalKey.objects.filter(user=author).count() == 1


def test_the_author_chooses_discoverable_and_indexable(client, author):
    AuthorChoice.objects.create(user=author, discoverable=False, indexable=False)
    person = _json(client.get("/ap/users/devi"))
    assert person["discoverable"] is False and person["indexable"] is False


@pytest.mark.parametrize("accept", [AS_JSON, LD_JSON, f"text/html;q=0.5, {AS_JSON}"])
def test_the_author_topic_and_article_pages_answer_json_to_both_accept_forms(
    client, author, politik, accept
):
    article = make_article(author=author, topic=politik, title="Trotoar untuk semua")
    person = client.get("/penulis/devi/", HTTP_ACCEPT=accept)
    assert _json(person)["id"] == "https://kolom.test/ap/users/devi"
    assert person["Content-Type"].startswith("application/activity+json")
    assert "Accept" in person["Vary"]
    group = _json(client.get("/topik/politik/", HTTP_ACCEPT=accept))
    assert group["type"] == "Group" and group["id"] == "https://kolom.test/ap/topics/politik"
    document = _json(client.get(article.get_absolute_url(), HTTP_ACCEPT=accept))
    assert document["type"] == "Article"
    assert document["id"] == f"https://kolom.test/ap/articles/{article.pk}"
    english = client.get("/en" + article.get_absolute_url(), HTTP_ACCEPT=accept)
    assert _json(english)["id"] == document["id"]


def test_the_article_document_is_long_form_with_a_preview(client, author, politik):
    article = make_article(
        author=author, topic=politik, title="Trotoar untuk semua", excerpt="Soal pejalan kaki.",
        tags=["kota", "jalan kaki"],
    )  # fmt: skip
    document = _json(client.get(f"/ap/articles/{article.pk}"))
    assert document["attributedTo"] == "https://kolom.test/ap/users/devi"
    assert document["name"] == "Trotoar untuk semua"
    assert document["summary"] == "Soal pejalan kaki."
    assert document["url"] == "https://kolom.test" + article.get_absolute_url()
    assert "https://www.w3.org/ns/activitystreams#Public" in document["to"]
    assert "https://kolom.test/ap/topics/politik" in document["cc"]
    assert {tag["name"] for tag in document["tag"]} == {"#kota", "#jalankaki"}
    assert document["preview"]["type"] == "Note"
    assert "Trotoar untuk semua" in document["preview"]["content"]


def test_a_draft_has_no_document(client, author):
    draft = make_article(author=author, status="draft")
    assert client.get(f"/ap/articles/{draft.pk}").status_code == 404


def test_html_pages_link_to_their_documents(client, author, politik):
    article = make_article(author=author, topic=politik)
    html = client.get("/penulis/devi/").content.decode()
    assert (
        '<link rel="alternate" type="application/activity+json" href="https://kolom.test/ap/users/devi">'
        in html
    )
    html = client.get("/topik/politik/").content.decode()
    assert 'href="https://kolom.test/ap/topics/politik"' in html
    html = client.get(article.get_absolute_url()).content.decode()
    assert f'href="https://kolom.test/ap/articles/{article.pk}"' in html
    assert '<meta name="fediverse:creator" content="devi@kolom.test">' in html


def test_fediverse_creator_is_the_handle_the_author_gave(client, author):
    AuthorChoice.objects.create(user=author, fediverse_handle="@devi@mastodon.example")
    article = make_article(author=author)
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<meta name="fediverse:creator" content="devi@mastodon.example">' in html


@pytest.mark.parametrize("first", ["html", "json"])
def test_the_page_cache_never_mixes_html_and_json(client, author, politik, settings, first):
    settings.PAGE_CACHE = True
    settings.FRAGMENT_CACHE = True
    article = make_article(author=author, topic=politik)
    for path in ("/penulis/devi/", "/topik/politik/", article.get_absolute_url()):
        order = (
            ["html", "json", "html", "json"]
            if first == "html"
            else ["json", "html", "json", "html"]
        )
        for kind in order:
            headers = {"HTTP_ACCEPT": AS_JSON} if kind == "json" else {"HTTP_ACCEPT": "text/html"}
            response = client.get(path, **headers)
            assert response.status_code == 200
            expected = "application/activity+json" if kind == "json" else "text/html"
            assert response["Content-Type"].startswith(expected), (path, kind)
            assert "Accept" in response["Vary"]


def test_outbox_pages_newest_first_and_followers_count_only(client, author):
    articles = [make_article(author=author) for _ in range(23)]
    make_article()  # someone else's
    outbox = _json(client.get("/ap/users/devi/outbox"))
    assert outbox["totalItems"] == 23
    first = _json(client.get(outbox["first"].replace("https://kolom.test", "")))
    assert [item["object"]["id"] for item in first["orderedItems"]][:2] == [
        f"https://kolom.test/ap/articles/{articles[-1].pk}",
        f"https://kolom.test/ap/articles/{articles[-2].pk}",
    ]
    assert len(first["orderedItems"]) == 20 and first["type"] == "OrderedCollectionPage"
    second = _json(client.get("/ap/users/devi/outbox?page=2"))
    assert len(second["orderedItems"]) == 3 and "next" not in second
    for bad in ("0", "-1", "abc", "9" * 20, "%00"):
        # A NUL byte is refused by core.middleware before the view (400).
        assert client.get(f"/ap/users/devi/outbox?page={bad}").status_code in (400, 404)
    followers = _json(client.get("/ap/users/devi/followers"))
    assert followers["totalItems"] == 0 and "orderedItems" not in followers


def test_outbox_page_queries_are_bounded(client, author, django_assert_max_num_queries):
    for _ in range(20):
        make_article(author=author, tags=["kota"])
    with django_assert_max_num_queries(8):
        client.get("/ap/users/devi/outbox?page=1")
