"""Content negotiation on the author, topic and article pages (README, "Federation").

Outside the page cache (settings.MIDDLEWARE): a request whose ``Accept`` asks
for ActivityStreams gets the JSON document before the page cache is consulted,
so a cached HTML page is never served to a fediverse server and a JSON answer
is never stored as the page. Every answer of those pages carries ``Vary:
Accept`` for the caches in front of us (nginx, a CDN).

A remote commenter's stand-in account has no page here: its author URL
redirects to their profile on their own server.
"""

import re

from django.conf import settings
from django.http import Http404, HttpResponseRedirect
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import patch_vary_headers

_NEGOTIATED = re.compile(r"^/(?:en/)?(?:penulis|topik|artikel)/")
_AS_PROFILE = re.compile(r'profile\s*=\s*"?https://www\.w3\.org/ns/activitystreams"?')


def wants_activity_json(accept: str) -> bool:
    """Either form of the ActivityStreams media type, whatever else is listed."""
    for part in accept.lower().split(","):
        media, _, params = part.strip().partition(";")
        media = media.strip()
        if media == "application/activity+json":
            return True
        if media == "application/ld+json" and _AS_PROFILE.search(params):
            return True
    return False


def _match(path: str):
    language = "en" if path.startswith("/en/") else settings.LANGUAGE_CODE
    with translation.override(language):
        try:
            return resolve(path)
        except Resolver404:
            return None


class ActivityJsonMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _NEGOTIATED.match(request.path_info):
            return self.get_response(request)
        if settings.FEDERATION and request.method in ("GET", "HEAD"):
            answer = self._answer(request)
            if answer is not None:
                return answer
        response = self.get_response(request)
        patch_vary_headers(response, ["Accept"])
        return response

    def _answer(self, request):
        wants_json = wants_activity_json(request.headers.get("Accept", ""))
        is_remote_person = "/penulis/@" in request.path_info
        if not (wants_json or is_remote_person):
            return None
        match = _match(request.path_info)
        if match is None:
            return None
        from . import views
        from .models import RemoteActor

        kwargs = match.kwargs
        if match.view_name == "articles:author" and is_remote_person:
            remote = (
                RemoteActor.objects.filter(user__username=kwargs["username"])
                .only("profile_url", "uri")
                .first()
            )
            if remote is not None:
                return HttpResponseRedirect(remote.get_absolute_url())
        if not wants_json:
            return None
        try:
            if match.view_name == "articles:author":
                return views.person(request, kwargs["username"])
            if match.view_name == "articles:topic":
                return views.group(request, kwargs["slug"])
            if match.view_name in ("articles:detail", "articles:page", "articles:all_pages"):
                return views.article(request, kwargs["pk"])
        except Http404:
            return None  # not federated: the HTML page answers (or its own 404)
        return None
