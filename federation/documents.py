"""The ActivityStreams documents we publish: actors, articles, collections and
the activities carrying them. Built from public data only (README, "Federation")."""

from django.conf import settings
from django.urls import reverse
from django.utils.html import escape

from articles.models import Article
from articles.sanitizer import html_to_text, plain_text_to_html

from . import actors
from .actors import PUBLIC

CONTEXT = [
    "https://www.w3.org/ns/activitystreams",
    "https://w3id.org/security/v1",
    {
        "toot": "http://joinmastodon.org/ns#",
        "discoverable": "toot:discoverable",
        "indexable": "toot:indexable",
        "manuallyApprovesFollowers": "as:manuallyApprovesFollowers",
        "Hashtag": "as:Hashtag",
        "sensitive": "as:sensitive",
    },
]
OUTBOX_PAGE_SIZE = 20


def _iso(value) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None


def _media(field, request=None) -> str | None:
    if not field:
        return None
    return actors.absolute(field.url, request)


def _endpoints(actor: str, request=None) -> dict:
    return {
        "inbox": f"{actor}/inbox",
        "outbox": f"{actor}/outbox",
        "followers": f"{actor}/followers",
        "following": f"{actor}/following",
        "endpoints": {"sharedInbox": actors.shared_inbox(request)},
    }


def _public_key(actor: str, key) -> dict:
    return {"id": actors.key_id(actor), "owner": actor, "publicKeyPem": key.public_pem}


def person(user, request=None) -> dict:
    actor = actors.person_id(user.username, request)
    choice = actors.choice_for(user)
    summary = plain_text_to_html(user.bio or user.tagline)
    document = {
        "@context": CONTEXT,
        "id": actor,
        "type": "Person",
        "preferredUsername": user.username,
        "name": user.name,
        "summary": summary,
        "url": actors.absolute(user.get_absolute_url(), request),
        "published": _iso(user.date_joined),
        "manuallyApprovesFollowers": False,
        "discoverable": choice.discoverable,
        "indexable": choice.indexable,
        **_endpoints(actor, request),
        "publicKey": _public_key(actor, actors.key_for(user=user)),
    }
    if user.avatar:
        document["icon"] = {"type": "Image", "url": _media(user.avatar, request)}
    return document


def group(topic, request=None) -> dict:
    actor = actors.group_id(topic.slug, request)
    return {
        "@context": CONTEXT,
        "id": actor,
        "type": "Group",
        "preferredUsername": topic.slug,
        "name": topic.name,
        "summary": plain_text_to_html(topic.description),
        "url": actors.absolute(topic.get_absolute_url(), request),
        "manuallyApprovesFollowers": False,
        "discoverable": True,
        **_endpoints(actor, request),
        "publicKey": _public_key(actor, actors.key_for(topic=topic)),
    }


def application(request=None) -> dict:
    actor = actors.application_id(request)
    return {
        "@context": CONTEXT,
        "id": actor,
        "type": "Application",
        "preferredUsername": actors.domain(request),
        "name": settings.SITE_NAME,
        "url": actors.origin(request) + "/",
        "inbox": f"{actor}/inbox",
        "outbox": f"{actor}/outbox",
        "manuallyApprovesFollowers": True,
        "publicKey": _public_key(actor, actors.key_for()),
    }


def article(item: Article, request=None) -> dict:
    """The Article (FEP-b2b8 long-form) with a ``preview`` Note for microblog software."""
    author = actors.person_id(item.author.username, request)
    url = actors.absolute(item.get_absolute_url(), request)
    summary = item.excerpt or item.teaser or html_to_text(item.body_html)[:280]
    tags = [
        {
            "type": "Hashtag",
            "name": "#" + tag.name.replace(" ", ""),
            "href": actors.absolute(reverse("articles:tag", kwargs={"slug": tag.slug}), request),
        }
        for tag in item.tags.all()
    ]
    section = item.section if item.section_id else item.topic
    cc = [f"{author}/followers"]
    if section is not None:
        cc.append(actors.group_id(section.slug, request))
    document = {
        "@context": CONTEXT,
        "id": actors.article_id(item.pk, request),
        "type": "Article",
        "attributedTo": author,
        "name": item.title,
        "summary": escape(summary),
        "content": item.body_html,
        "mediaType": "text/html",
        "url": url,
        "published": _iso(item.published_at),
        "to": [PUBLIC],
        "cc": cc,
        "sensitive": False,
        "tag": tags,
        "preview": {
            "type": "Note",
            "attributedTo": author,
            "content": (
                f'<p><a href="{escape(url)}">{escape(item.title)}</a></p>'
                f"<p>{escape(summary)}</p>"
                + "".join(
                    f' <a href="{escape(tag["href"])}" class="hashtag" rel="tag">'
                    f"{escape(tag['name'])}</a>"
                    for tag in tags
                )
            ),
        },
    }
    if section is not None:
        document["audience"] = actors.group_id(section.slug, request)
    if item.was_updated:
        document["updated"] = _iso(item.updated_at)
    cover = _media(item.page_image, request)
    if cover:
        image = {"type": "Image", "url": cover}
        if item.cover_caption:
            image["name"] = item.cover_caption
        document["image"] = image
        document["attachment"] = [{"type": "Image", "mediaType": "image/jpeg", **image}]
    return document


def tombstone(object_id: str, former_type: str) -> dict:
    return {"@context": CONTEXT, "id": object_id, "type": "Tombstone", "formerType": former_type}


def activity(kind: str, actor: str, obj, *, id_suffix: str, to=None, cc=None) -> dict:
    object_id = obj["id"] if isinstance(obj, dict) else obj
    document = {
        "@context": CONTEXT,
        "id": f"{object_id}#{id_suffix}",
        "type": kind,
        "actor": actor,
        "object": obj,
        "to": to if to is not None else [PUBLIC],
    }
    if cc:
        document["cc"] = cc
    if isinstance(obj, dict) and obj.get("published"):
        document["published"] = obj.get("updated") or obj["published"]
    return document


def create_article(item: Article, request=None) -> dict:
    document = article(item, request)
    document.pop("@context")
    kind_suffix = f"create-{item.edit_version}"
    return activity(
        "Create",
        document["attributedTo"],
        document,
        id_suffix=kind_suffix,
        cc=document["cc"],
    )


def collection_page(*, collection: str, items: list, page: int, has_next: bool, total: int) -> dict:
    document = {
        "@context": CONTEXT,
        "id": f"{collection}?page={page}",
        "type": "OrderedCollectionPage",
        "partOf": collection,
        "totalItems": total,
        "orderedItems": items,
    }
    if page > 1:
        document["prev"] = f"{collection}?page={page - 1}"
    if has_next:
        document["next"] = f"{collection}?page={page + 1}"
    return document


def collection(collection: str, *, total: int, paged: bool = True) -> dict:
    document = {
        "@context": CONTEXT,
        "id": collection,
        "type": "OrderedCollection",
        "totalItems": total,
    }
    if paged:
        document["first"] = f"{collection}?page=1"
    return document
