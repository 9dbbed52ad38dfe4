"""Discovery (WebFinger, NodeInfo, host-meta), our actors, their collections,
article objects and the inboxes (README, "Federation")."""

import json
import re

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from articles.models import Article
from comments.models import Comment

from . import actors, documents, inbox, people
from .models import RemoteFollow

ACTIVITY_JSON = "application/activity+json; charset=utf-8"
_ACCT = re.compile(r"^(?:acct:)?@?([^@\s/]+)@([^@\s/]+)$")


def activity_response(document: dict, *, status: int = 200) -> HttpResponse:
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False), content_type=ACTIVITY_JSON, status=status
    )
    # The same URL serves HTML to browsers: shared caches must keep them apart.
    patch_vary_headers(response, ["Accept"])
    patch_cache_control(response, public=True, max_age=settings.PAGE_CACHE_MAX_AGE)
    return response


def _require_federation():
    if not settings.FEDERATION:
        raise Http404


def _federated_articles():
    return (
        Article.objects.published()
        .filter(author__in=actors.federated_people())
        .select_related("author", "topic", "section")
        .prefetch_related("tags")
    )


# Discovery ---------------------------------------------------------------------------


def _resource_actor(resource: str, request):
    """(actor id, profile URL, handle) for an acct: or profile URL resource, else None."""
    resource = resource.strip()[:300]
    host = actors.domain(request)
    match = _ACCT.match(resource)
    name = None
    if match:
        if match.group(2).lower() != host.lower():
            return None
        name = match.group(1)
    else:
        origin = actors.origin(request)
        for prefix in (f"{origin}/ap/users/", f"{origin}/penulis/", f"{origin}/en/penulis/"):
            if resource.startswith(prefix):
                user = actors.federated_person(resource[len(prefix) :].strip("/"))
                return _person_link(user, request) if user else None
        for prefix in (f"{origin}/ap/topics/", f"{origin}/topik/", f"{origin}/en/topik/"):
            if resource.startswith(prefix):
                topic = actors.group_topic(resource[len(prefix) :].strip("/"))
                return _group_link(topic, request) if topic else None
        return None
    user = actors.federated_person(name)
    if user is not None:
        return _person_link(user, request)
    topic = actors.group_topic(name)
    return _group_link(topic, request) if topic else None


def _person_link(user, request):
    return (
        actors.person_id(user.username, request),
        actors.absolute(user.get_absolute_url(), request),
        f"acct:{user.username}@{actors.domain(request)}",
    )


def _group_link(topic, request):
    return (
        actors.group_id(topic.slug, request),
        actors.absolute(topic.get_absolute_url(), request),
        f"acct:{topic.slug}@{actors.domain(request)}",
    )


@require_safe
def webfinger(request):
    _require_federation()
    found = _resource_actor(request.GET.get("resource", ""), request)
    if found is None:
        return JsonResponse({"error": "not found"}, status=404)
    actor, profile, subject = found
    response = JsonResponse(
        {
            "subject": subject,
            "aliases": [actor, profile],
            "links": [
                {"rel": "self", "type": "application/activity+json", "href": actor},
                {
                    "rel": "http://webfinger.net/rel/profile-page",
                    "type": "text/html",
                    "href": profile,
                },
            ],
        },
        content_type="application/jrd+json",
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def host_meta(request):
    _require_federation()
    template = actors.origin(request) + "/.well-known/webfinger?resource={uri}"
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<XRD xmlns="http://docs.oasis-open.org/ns/xri/xrd-1.0">\n'
        f'  <Link rel="lrdd" template="{template}"/>\n'
        "</XRD>\n"
    )
    return HttpResponse(body, content_type="application/xrd+xml")


@require_safe
def nodeinfo_links(request):
    _require_federation()
    return JsonResponse(
        {
            "links": [
                {
                    "rel": "http://nodeinfo.diaspora.software/ns/schema/2.1",
                    "href": actors.origin(request) + "/nodeinfo/2.1",
                }
            ]
        }
    )


@require_safe
def nodeinfo(request):
    _require_federation()
    people = actors.federated_people().annotate(published=Count("articles")).filter(published__gt=0)
    return JsonResponse(
        {
            "version": "2.1",
            "software": {"name": "kolomwarga", "version": "1.0"},
            "protocols": ["activitypub"],
            "services": {"inbound": [], "outbound": ["atom1.0"]},
            "openRegistrations": True,
            "usage": {
                "users": {"total": people.count()},
                "localPosts": _federated_articles().count(),
                "localComments": Comment.objects.visible().filter(remote_note__isnull=True).count(),
            },
            "metadata": {"nodeName": settings.SITE_NAME},
        },
        content_type='application/json; profile="http://nodeinfo.diaspora.software/ns/schema/2.1#"',
    )


# Actors and objects ------------------------------------------------------------------


def _person_or_404(username):
    _require_federation()
    user = actors.federated_person(username)
    if user is None:
        raise Http404
    return user


def _topic_or_404(slug):
    _require_federation()
    topic = actors.group_topic(slug)
    if topic is None:
        raise Http404
    return topic


@require_safe
def person(request, username):
    _require_federation()
    user = actors.federated_person(username)
    if user is None:
        gone = get_user_model().objects.filter(username=username).first()
        if gone is not None and people.is_gone(gone):
            # Deleted for the fediverse (README, "Federation"): a Tombstone, 410.
            tombstone = documents.tombstone(actors.person_id(username, request), "Person")
            return activity_response(tombstone, status=410)
        raise Http404
    return activity_response(documents.person(user, request))


@require_safe
def group(request, slug):
    return activity_response(documents.group(_topic_or_404(slug), request))


@require_safe
def application(request):
    _require_federation()
    return activity_response(documents.application(request))


def federated_article(pk: int):
    _require_federation()
    return get_object_or_404(_federated_articles(), pk=pk)


@require_safe
def article(request, pk):
    return activity_response(documents.article(federated_article(pk), request))


def _page_number(request) -> int | None:
    raw = request.GET.get("page", "")
    if not raw:
        return None
    if not raw.isascii() or not raw.isdigit() or len(raw) > 6 or int(raw) < 1:
        raise Http404
    return int(raw)


def _outbox(request, collection: str, articles):
    number = _page_number(request)
    total = articles.count()
    if number is None:
        return activity_response(documents.collection(collection, total=total))
    start = (number - 1) * documents.OUTBOX_PAGE_SIZE
    rows = list(
        articles.order_by("-published_at", "-id")[start : start + documents.OUTBOX_PAGE_SIZE + 1]
    )
    items = [documents.create_article(item, request) for item in rows[: documents.OUTBOX_PAGE_SIZE]]
    for item in items:
        item.pop("@context", None)
    return activity_response(
        documents.collection_page(
            collection=collection,
            items=items,
            page=number,
            has_next=len(rows) > documents.OUTBOX_PAGE_SIZE,
            total=total,
        )
    )


@require_safe
def person_outbox(request, username):
    user = _person_or_404(username)
    return _outbox(
        request,
        actors.person_id(username, request) + "/outbox",
        _federated_articles().filter(author=user),
    )


@require_safe
def group_outbox(request, slug):
    topic = _topic_or_404(slug)
    return _outbox(
        request,
        actors.group_id(slug, request) + "/outbox",
        _federated_articles().filter(section=topic),
    )


@require_safe
def application_outbox(request):
    _require_federation()
    return activity_response(
        documents.collection(actors.application_id(request) + "/outbox", total=0, paged=False)
    )


@require_safe
def person_followers(request, username):
    # The count is public, the list is not (README, "Federation").
    user = _person_or_404(username)
    total = RemoteFollow.objects.filter(user=user).count() + user.followers.count()
    return activity_response(
        documents.collection(
            actors.person_id(username, request) + "/followers", total=total, paged=False
        )
    )


@require_safe
def group_followers(request, slug):
    topic = _topic_or_404(slug)
    total = RemoteFollow.objects.filter(topic=topic).count()
    return activity_response(
        documents.collection(
            actors.group_id(slug, request) + "/followers", total=total, paged=False
        )
    )


@require_safe
def following(request, **kwargs):
    _require_federation()
    return activity_response(
        documents.collection(request.build_absolute_uri(request.path), total=0, paged=False)
    )


# Inboxes ---------------------------------------------------------------------------


@csrf_exempt
@require_POST
def shared_inbox(request):
    _require_federation()
    return inbox.receive(request)


@csrf_exempt
@require_POST
def person_inbox(request, username):
    _person_or_404(username)
    return inbox.receive(request)


@csrf_exempt
@require_POST
def group_inbox(request, slug):
    _topic_or_404(slug)
    return inbox.receive(request)


@csrf_exempt
@require_POST
def application_inbox(request):
    _require_federation()
    return inbox.receive(request)
