"""Version 1 of the public API, with Django Ninja (README, "Public API").

Reads need no token and show what the site shows signed-out readers (api/reads.py);
writes need a personal access token (``Authorization: Bearer kw_…``) with the
right scope and go through the same services as the site's forms. Errors are
``application/problem+json`` in the language of ``Accept-Language``.
"""

import json
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_cache_control
from django.utils.http import http_date, parse_http_date_safe
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Path, Query
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser
from ninja.security import HttpBearer

from articles import services as article_services
from articles.forms import ArticleForm
from articles.models import Article, Topic
from comments import services as comment_services
from comments.models import Comment, CommentStatus
from core.events import EVENTS

from . import limits, reads, schemas, services
from .models import Scope, Webhook

logger = logging.getLogger(__name__)

MAX_ID = 2**62


class Problem(Exception):
    """Answer with problem details: ``raise Problem(404, detail=...)``."""

    def __init__(self, status: int, *, detail: str = "", errors=None, headers=None):
        super().__init__(detail)
        self.status, self.detail, self.errors, self.headers = status, detail, errors, headers or {}


def titles() -> dict[int, str]:
    return {
        400: _("Bad request"),
        401: _("A valid personal access token is needed"),
        403: _("Not allowed"),
        404: _("Not found"),
        405: _("Method not allowed"),
        409: _("Conflict"),
        413: _("The request is too large"),
        415: _("Send JSON"),
        422: _("Some fields need correcting"),
        429: _("Too many requests"),
        500: _("Something went wrong on our side"),
    }


def problem_response(status: int, *, detail: str = "", errors=None, headers=None) -> HttpResponse:
    body = {
        "type": "about:blank",
        "title": titles().get(status, _("Error")),
        "status": status,
        "detail": detail,
    }
    if errors:
        body["errors"] = errors
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status, content_type="application/problem+json"
    )
    for name, value in (headers or {}).items():
        response[name] = value
    patch_cache_control(response, no_store=True)
    return response


class ProblemAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        """The schema, with errors answered as problem details (their real type)."""
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema["paths"].values():
            for operation in operations.values():
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content") or {}
                    if int(status) >= 400 and "application/json" in content:
                        content["application/problem+json"] = content.pop("application/json")
        return schema


class ObjectParser(Parser):
    """Bodies are JSON objects; anything else is refused before a view runs."""

    def parse_body(self, request):
        try:
            body = json.loads(request.body)
        except ValueError as error:
            raise Problem(400, detail=_("The body is not valid JSON.")) from error
        if not isinstance(body, dict):
            raise Problem(400, detail=_("Send the body as a JSON object."))
        return body


api = ProblemAPI(
    title="Kolom Warga API",
    version="1",
    description=(
        "Read Kolom Warga's public articles, topics, tags, authors and comments as JSON; "
        "write drafts, publish and comment with a personal access token; "
        "be told of events by signed webhooks. See the README, section Public API."
    ),
    urls_namespace="api-v1",
    docs_url="/docs",
    openapi_url="/openapi.json",
    parser=ObjectParser(),
)


@api.exception_handler(Problem)
def _problem(request, error: Problem):
    return problem_response(
        error.status, detail=error.detail, errors=error.errors, headers=error.headers
    )


@api.exception_handler(Http404)
def _not_found(request, error):
    return problem_response(404, detail=_("There is nothing public at this address."))


@api.exception_handler(reads.BadCursor)
def _bad_cursor(request, error):
    return problem_response(400, detail=reads.bad_cursor_message())


@api.exception_handler(NinjaValidationError)
def _invalid(request, error: NinjaValidationError):
    errors: dict[str, list[str]] = {}
    for item in error.errors:
        location = ".".join(str(part) for part in item.get("loc", ())[1:]) or "request"
        errors.setdefault(location, []).append(str(item.get("msg", "")))
    return problem_response(
        422, detail=_("Check the fields listed in errors and send again."), errors=errors
    )


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, error):
    return problem_response(
        401,
        detail=_(
            "Send a personal access token as Authorization: Bearer. A revoked token, "
            "or one of a suspended account, does not work."
        ),
        headers={"WWW-Authenticate": 'Bearer realm="api"'},
    )


@api.exception_handler(HttpError)
def _http_error(request, error: HttpError):
    return problem_response(error.status_code, detail=str(error))


@api.exception_handler(Exception)
def _server_error(request, error):
    logger.exception("API error at %s", request.path)
    return problem_response(500)


class BearerToken(HttpBearer):
    """A personal access token; also counts the request against the token's limit."""

    def authenticate(self, request, token):
        found = services.authenticate_token(token)
        if found is None:
            return None
        wait = limits.hit(f"t:{found.pk}", settings.API_RATE_LIMIT_TOKEN)
        if wait is not None:
            raise Problem(
                429,
                detail=_("This token made too many requests. Try again in %(seconds)s seconds.")
                % {"seconds": wait},
                headers={"Retry-After": str(wait)},
            )
        return found


bearer = BearerToken()


def require(request, scope: str):
    """The token's user, if the token carries ``scope``; else 403."""
    token = request.auth
    if not token.allows(scope):
        raise Problem(
            403,
            detail=_("This token lacks the scope %(scope)s.") % {"scope": scope},
        )
    return token.user


ERRORS = {400: schemas.Problem, 404: schemas.Problem, 422: schemas.Problem, 429: schemas.Problem}
AUTH_ERRORS = {**ERRORS, 401: schemas.Problem, 403: schemas.Problem, 413: schemas.Problem}


# Reads: public, cached, conditional ----------------------------------------------------


def public_answer(request, body: reads.Body) -> HttpResponse:
    """The body as a public response with its validators; 304 when the client's copy
    is current (If-None-Match first, then If-Modified-Since, as RFC 9110 orders)."""
    last_modified = http_date(body.built)
    if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        not_modified = body.etag in tags or "*" in tags
    else:
        since = parse_http_date_safe(request.META.get("HTTP_IF_MODIFIED_SINCE", ""))
        not_modified = since is not None and body.built <= since
    if not_modified:
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(body.content, content_type="application/json")
    response["ETag"] = body.etag
    response["Last-Modified"] = last_modified
    patch_cache_control(response, public=True, max_age=settings.PAGE_CACHE_MAX_AGE)
    # The same for every reader and language: caching.pages drops Vary: Accept-Language.
    # Never stored by the page cache (no canonical query recorded), so 304s stay right.
    response.page_cache_public = True
    return response


READ = {200: None, 304: None, **ERRORS}


@api.get(
    "/articles",
    response={**READ, 200: schemas.ArticleList},
    url_name="articles",
    tags=["read"],
    summary="Published articles, newest first",
)
def list_articles(request, query: Query[schemas.ArticleQuery]):
    """Filter by topic (a top-level topic includes its subtopics), tag, author and
    publication day; follow next (a cursor, stable while new articles appear)."""
    return public_answer(request, reads.article_list(query))


@api.get(
    "/articles/{article_id}",
    response={**READ, 200: schemas.ArticleDetail},
    url_name="article",
    tags=["read"],
    summary="One published article with its pages",
)
def get_article(request, article_id: int = Path(..., ge=1, le=MAX_ID)):
    return public_answer(request, reads.article_detail(article_id))


@api.get(
    "/articles/{article_id}/comments",
    response={**READ, 200: schemas.CommentList},
    url_name="comments",
    tags=["read"],
    summary="An article's comments in thread order",
)
def list_comments(
    request, query: Query[schemas.ListQuery], article_id: int = Path(..., ge=1, le=MAX_ID)
):
    return public_answer(request, reads.comment_list(article_id, query))


@api.get(
    "/topics",
    response={**READ, 200: schemas.TopicList},
    url_name="topics",
    tags=["read"],
    summary="Every topic",
)
def list_topics(request):
    return public_answer(request, reads.topic_list())


@api.get(
    "/tags",
    response={**READ, 200: schemas.TagList},
    url_name="tags",
    tags=["read"],
    summary="Tags of published articles, by slug",
)
def list_tags(request, query: Query[schemas.ListQuery]):
    return public_answer(request, reads.tag_list(query))


@api.get(
    "/authors",
    response={**READ, 200: schemas.AuthorList},
    url_name="authors",
    tags=["read"],
    summary="Authors of published articles, by username",
)
def list_authors(request, query: Query[schemas.ListQuery]):
    return public_answer(request, reads.author_list(query))


@api.get(
    "/authors/{username}",
    response={**READ, 200: schemas.Author},
    url_name="author",
    tags=["read"],
    summary="An author's public profile",
)
def get_author(request, username: str = Path(..., max_length=150)):
    return public_answer(request, reads.author_detail(username))


# With a token ---------------------------------------------------------------------------


def private_answer(model, status: int = 200) -> HttpResponse:
    response = HttpResponse(model.model_dump_json(), status=status, content_type="application/json")
    patch_cache_control(response, private=True, no_store=True)
    return response


@api.get(
    "/me",
    auth=bearer,
    response={200: schemas.Me, **AUTH_ERRORS},
    url_name="me",
    tags=["token"],
    summary="Whose token this is, and its scopes",
)
def me(request):
    token = request.auth
    return private_answer(
        schemas.Me(
            username=token.user.username,
            display_name=token.user.name,
            url=reads.site_url(token.user.get_absolute_url()),
            token_name=token.name,
            scopes=token.scopes,
        )
    )


def _own(article: Article) -> schemas.OwnArticle:
    return schemas.OwnArticle(
        id=article.pk,
        title=article.title,
        status=article.status,
        status_label=str(article.get_status_display()),
        topic=article.topic.slug,
        excerpt=article.excerpt,
        body=article.body,
        body_html=article.body_html,
        tags=sorted(tag.name for tag in article.tags.all()),
        cover_caption=article.cover_caption,
        cover_credit=article.cover_credit,
        url=reads.site_url(article.get_absolute_url()) if article.is_public else None,
        created_at=article.created_at,
        published_at=article.published_at,
        updated_at=article.updated_at,
    )


def _own_article(user, article_id: int) -> Article:
    """The token user's own article (any status but deleted), or 404: a token
    never reaches anyone else's article, staff's included."""
    return get_object_or_404(
        Article.objects.by_author(user).select_related("topic").prefetch_related("tags"),
        pk=article_id,
    )


@api.get(
    "/me/articles",
    auth=bearer,
    response={200: schemas.OwnArticleList, **AUTH_ERRORS},
    url_name="my_articles",
    tags=["token"],
    summary="Your articles, drafts included, newest change first",
)
def my_articles(request, query: Query[schemas.ListQuery]):
    user = require(request, Scope.READ)
    articles = (
        Article.objects.by_author(user)
        .select_related("topic")
        .prefetch_related("tags")
        .order_by("-created_at", "-id")
    )
    if query.cursor:
        (after,) = reads.decode_cursor(query.cursor, 1)
        if not after.isdigit() or not 0 < int(after) < MAX_ID:
            raise reads.BadCursor
        # Keys grow with creation time: the key alone is the position.
        articles = articles.filter(pk__lt=int(after))
    rows = list(articles[: query.limit + 1])
    more = len(rows) > query.limit
    rows = rows[: query.limit]
    cursor = reads.encode_cursor(rows[-1].pk) if more else None
    return private_answer(
        schemas.OwnArticleList(
            results=[_own(row) for row in rows],
            next_cursor=cursor,
            next=reads.site_url(f"{request.path}?cursor={cursor}&limit={query.limit}")
            if more
            else None,
        )
    )


@api.get(
    "/me/articles/{article_id}",
    auth=bearer,
    response={200: schemas.OwnArticle, **AUTH_ERRORS},
    url_name="my_article",
    tags=["token"],
    summary="One of your articles, as you wrote it",
)
def my_article(request, article_id: int = Path(..., ge=1, le=MAX_ID)):
    user = require(request, Scope.READ)
    return private_answer(_own(_own_article(user, article_id)))


def _save(request, article: Article, data: dict) -> Article:
    """Validate with the site's own form and save through the site's service."""
    topic = Topic.objects.filter(slug=data["topic"]).only("pk").first()
    if topic is None:
        raise Problem(
            422,
            detail=_("Check the fields listed in errors and send again."),
            errors={"topic": [_("There is no topic with this slug.")]},
        )
    form = ArticleForm(
        {
            "title": data["title"],
            "topic": topic.pk,
            "excerpt": data["excerpt"],
            "body": data["body"],
            "tags": ", ".join(tag.replace(",", " ") for tag in data["tags"]),
            "cover_caption": data["cover_caption"],
            "cover_credit": data["cover_credit"],
        },
        instance=article,
    )
    if not form.is_valid():
        raise Problem(
            422,
            detail=_("Check the fields listed in errors and send again."),
            errors={field: list(messages) for field, messages in form.errors.items()},
        )
    return article_services.save_article(
        article, author=request.auth.user, data=form.cleaned_data, tags=form.cleaned_data["tags"]
    )


@api.post(
    "/articles",
    auth=bearer,
    response={201: schemas.OwnArticle, **AUTH_ERRORS},
    url_name="create_article",
    tags=["token"],
    summary="Write a draft (scope drafts)",
)
def create_article(request, payload: schemas.ArticleIn):
    require(request, Scope.DRAFTS)
    with transaction.atomic():
        article = _save(request, Article(), payload.model_dump())
        services.record_write(request, action="article.create", target=article)
    return private_answer(_own(_own_article(request.auth.user, article.pk)), status=201)


@api.patch(
    "/articles/{article_id}",
    auth=bearer,
    response={200: schemas.OwnArticle, **AUTH_ERRORS},
    url_name="update_article",
    tags=["token"],
    summary="Change your article (scope drafts; publish too for a published one)",
)
def update_article(
    request, payload: schemas.ArticlePatch, article_id: int = Path(..., ge=1, le=MAX_ID)
):
    user = require(request, Scope.DRAFTS)
    article = _own_article(user, article_id)
    if article.is_public:
        require(request, Scope.PUBLISH)
    data = {
        "title": article.title,
        "topic": article.topic.slug,
        "excerpt": article.excerpt,
        "body": article.body,
        "tags": [tag.name for tag in article.tags.all()],
        "cover_caption": article.cover_caption,
        "cover_credit": article.cover_credit,
    }
    data.update(payload.model_dump(exclude_none=True))
    with transaction.atomic():
        article = _save(request, article, data)
        services.record_write(request, action="article.update", target=article)
    return private_answer(_own(_own_article(user, article.pk)))


@api.post(
    "/articles/{article_id}/publish",
    auth=bearer,
    response={200: schemas.OwnArticle, **AUTH_ERRORS},
    url_name="publish_article",
    tags=["token"],
    summary="Publish your draft (scope publish)",
)
def publish_article(request, article_id: int = Path(..., ge=1, le=MAX_ID)):
    user = require(request, Scope.PUBLISH)
    article = _own_article(user, article_id)
    try:
        with transaction.atomic():
            article_services.publish_article(article, by=user)
            services.record_write(request, action="article.publish", target=article)
    except ValidationError as error:
        raise Problem(422, detail=error.messages[0]) from error
    return private_answer(_own(_own_article(user, article.pk)))


@api.post(
    "/articles/{article_id}/unpublish",
    auth=bearer,
    response={200: schemas.OwnArticle, **AUTH_ERRORS},
    url_name="unpublish_article",
    tags=["token"],
    summary="Take your article back to draft (scope publish)",
)
def unpublish_article(request, article_id: int = Path(..., ge=1, le=MAX_ID)):
    user = require(request, Scope.PUBLISH)
    article = _own_article(user, article_id)
    with transaction.atomic():
        article_services.unpublish_article(article, by=user)
        services.record_write(request, action="article.unpublish", target=article)
    return private_answer(_own(_own_article(user, article.pk)))


@api.post(
    "/articles/{article_id}/comments",
    auth=bearer,
    response={201: schemas.OwnComment, **AUTH_ERRORS},
    url_name="post_comment",
    tags=["token"],
    summary="Comment on a published article, or reply (scope comment)",
)
def post_comment(request, payload: schemas.CommentIn, article_id: int = Path(..., ge=1, le=MAX_ID)):
    user = require(request, Scope.COMMENT)
    reads.article_detail(article_id)  # 404 unless public
    article = Article.objects.get(pk=article_id)
    reply_to = None
    if payload.reply_to is not None:
        reply_to = Comment.objects.filter(pk=payload.reply_to, article=article).first()
        if reply_to is None:
            raise Problem(
                422,
                detail=_("You can only reply to a comment on the same article."),
                errors={"reply_to": [_("You can only reply to a comment on the same article.")]},
            )
    try:
        with transaction.atomic():
            comment = comment_services.post_comment(
                article, author=user, body=payload.body, reply_to=reply_to
            )
            services.record_write(request, action="comment.post", target=comment)
    except comment_services.CommentRateLimited as limited:
        raise Problem(
            429,
            detail=limited.message,
            headers={"Retry-After": str(comment_services.FLOOD_SECONDS)},
        ) from limited
    except ValidationError as error:
        raise Problem(
            422, detail=error.messages[0], errors={"body": list(error.messages)}
        ) from error
    comment.author = user
    return private_answer(reads.own_comment_out(comment), status=201)


def _own_comments(user):
    """The token user's comments (deleted ones aside), held and hidden included:
    nobody else's, staff's included, and no other reader ever sees a held one."""
    return (
        Comment.objects.filter(author=user)
        .exclude(status=CommentStatus.DELETED)
        .select_related("author")
    )


@api.get(
    "/me/comments",
    auth=bearer,
    response={200: schemas.OwnCommentList, **AUTH_ERRORS},
    url_name="my_comments",
    tags=["token"],
    summary="Your comments, newest first, with their status (held ones too)",
)
def my_comments(request, query: Query[schemas.ListQuery]):
    user = require(request, Scope.READ)
    comments = _own_comments(user).order_by("-created_at", "-id")
    if query.cursor:
        (after,) = reads.decode_cursor(query.cursor, 1)
        if not after.isdigit() or not 0 < int(after) < MAX_ID:
            raise reads.BadCursor
        comments = comments.filter(pk__lt=int(after))
    rows = list(comments[: query.limit + 1])
    more = len(rows) > query.limit
    rows = rows[: query.limit]
    cursor = reads.encode_cursor(rows[-1].pk) if more else None
    return private_answer(
        schemas.OwnCommentList(
            results=[reads.own_comment_out(row) for row in rows],
            next_cursor=cursor,
            next=reads.site_url(f"{request.path}?cursor={cursor}&limit={query.limit}")
            if more
            else None,
        )
    )


@api.get(
    "/me/comments/{comment_id}",
    auth=bearer,
    response={200: schemas.OwnComment, **AUTH_ERRORS},
    url_name="my_comment",
    tags=["token"],
    summary="One of your comments, with its status",
)
def my_comment(request, comment_id: int = Path(..., ge=1, le=MAX_ID)):
    user = require(request, Scope.READ)
    return private_answer(
        reads.own_comment_out(get_object_or_404(_own_comments(user), pk=comment_id))
    )


# Webhooks -------------------------------------------------------------------------------


def _webhook_fields(hook: Webhook) -> dict:
    return {
        "id": hook.pk,
        "url": hook.url,
        "events": hook.events,
        "site_wide": hook.site_wide,
        "active": hook.is_active,
        "paused_at": hook.paused_at,
        "failures_in_a_row": hook.failures_in_a_row,
        "created_at": hook.created_at,
    }


def _own_hook(user, webhook_id: int) -> Webhook:
    return get_object_or_404(Webhook, pk=webhook_id, owner=user, is_active=True)


@api.get(
    "/webhooks",
    auth=bearer,
    response={200: schemas.WebhookList, **AUTH_ERRORS},
    url_name="webhooks",
    tags=["webhooks"],
    summary="Your webhooks (scope webhooks)",
)
def list_webhooks(request):
    user = require(request, Scope.WEBHOOKS)
    hooks = Webhook.objects.filter(owner=user, is_active=True).order_by("-created_at")
    return private_answer(
        schemas.WebhookList(results=[schemas.Webhook(**_webhook_fields(h)) for h in hooks])
    )


@api.post(
    "/webhooks",
    auth=bearer,
    response={201: schemas.NewWebhook, **AUTH_ERRORS},
    url_name="create_webhook",
    tags=["webhooks"],
    summary="Register a webhook (scope webhooks; site-wide: staff only)",
    description="Events: " + ", ".join(EVENTS),
)
def create_webhook(request, payload: schemas.WebhookIn):
    user = require(request, Scope.WEBHOOKS)
    try:
        with transaction.atomic():
            hook = services.register_webhook(
                user, url=payload.url, event_names=payload.events, site_wide=payload.site_wide
            )
            services.record_write(request, action="webhook.create", target=hook)
    except ValidationError as error:
        status = 403 if error.code == "staff" else 422
        raise Problem(status, detail=error.messages[0]) from error
    return private_answer(
        schemas.NewWebhook(**_webhook_fields(hook), secret=hook.secret), status=201
    )


@api.get(
    "/webhooks/{webhook_id}",
    auth=bearer,
    response={200: schemas.Webhook, **AUTH_ERRORS},
    url_name="webhook",
    tags=["webhooks"],
    summary="One of your webhooks",
)
def get_webhook(request, webhook_id: int = Path(..., ge=1, le=MAX_ID)):
    user = require(request, Scope.WEBHOOKS)
    return private_answer(schemas.Webhook(**_webhook_fields(_own_hook(user, webhook_id))))


@api.delete(
    "/webhooks/{webhook_id}",
    auth=bearer,
    response={204: None, **AUTH_ERRORS},
    url_name="delete_webhook",
    tags=["webhooks"],
    summary="Remove a webhook (its delivery log stays)",
)
def delete_webhook(request, webhook_id: int = Path(..., ge=1, le=MAX_ID)):
    user = require(request, Scope.WEBHOOKS)
    hook = _own_hook(user, webhook_id)
    with transaction.atomic():
        services.remove_webhook(hook)
        services.record_write(request, action="webhook.delete", target=hook)
    return HttpResponse(status=204)


@api.post(
    "/webhooks/{webhook_id}/resume",
    auth=bearer,
    response={200: schemas.Webhook, **AUTH_ERRORS},
    url_name="resume_webhook",
    tags=["webhooks"],
    summary="Deliver to a paused webhook again",
)
def resume_webhook(request, webhook_id: int = Path(..., ge=1, le=MAX_ID)):
    user = require(request, Scope.WEBHOOKS)
    hook = _own_hook(user, webhook_id)
    with transaction.atomic():
        services.resume_webhook(hook)
        services.record_write(request, action="webhook.resume", target=hook)
    return private_answer(schemas.Webhook(**_webhook_fields(hook)))


@api.get(
    "/webhooks/{webhook_id}/deliveries",
    auth=bearer,
    response={200: schemas.DeliveryList, **AUTH_ERRORS},
    url_name="webhook_deliveries",
    tags=["webhooks"],
    summary="The hook's latest 50 deliveries, newest first",
)
def list_deliveries(request, webhook_id: int = Path(..., ge=1, le=MAX_ID)):
    user = require(request, Scope.WEBHOOKS)
    hook = _own_hook(user, webhook_id)
    deliveries = hook.deliveries.order_by("-created_at", "-id")[:50]
    return private_answer(
        schemas.DeliveryList(
            results=[
                schemas.DeliveryOut(
                    id=d.pk,
                    event=d.event,
                    status=d.status,
                    attempts=d.attempts,
                    response_status=d.response_status,
                    error=d.error,
                    created_at=d.created_at,
                    next_attempt_at=d.next_attempt_at,
                    finished_at=d.finished_at,
                )
                for d in deliveries
            ]
        )
    )
