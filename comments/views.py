from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from articles.models import Article
from core import screening
from core.pagination import page_number

from . import services
from .access import (
    get_comment_for_article_author,
    get_comment_for_reader,
    get_comment_for_writer,
)
from .forms import CommentForm, HideCommentForm
from .threads import PAGE_PARAMETER, page_number_of


def _is_fetch(request) -> bool:
    """Requests from comments.js, which swaps fragments in place."""
    return request.headers.get("X-Comments-Fetch") == "1"


def _thread_url(comment, *, for_article_author: bool = False) -> str:
    """The article page at the page of threads showing this comment, scrolled to it."""
    page = page_number_of(comment, for_article_author=for_article_author)
    query = f"?{PAGE_PARAMETER}={page}" if page > 1 else ""
    return f"{comment.article.get_absolute_url()}{query}#{comment.anchor}"


def _form_page(request, *, form, article, reply_to=None, comment=None, status=200):
    """The comment form on a page of its own: for readers without JavaScript,
    for replying and editing, and to show errors with what was typed kept."""
    template = "comments/form_page.html"
    if _is_fetch(request):
        template += "#comment-form"
    if comment is not None:
        field_id = f"id_body_edit_{comment.pk}"
    elif reply_to is not None:
        field_id = f"id_body_reply_{reply_to.pk}"
    else:
        field_id = "id_body"
    context = {
        "form": form,
        "article": article,
        "reply_to": reply_to,
        "comment": comment,
        "field_id": field_id,
    }
    return TemplateResponse(request, template, context, status=status)


def _posted(request, comment):
    if _is_fetch(request):
        # The fragment carries the heading's new count too (comments.js swaps both).
        comment.article.refresh_from_db(fields=["comment_count"])
        context = {"comment": comment, "article": comment.article, "user": request.user}
        return TemplateResponse(request, "comments/posted.html", context, status=201)
    if comment.status == comment.Status.HELD:
        messages.info(
            request,
            _(
                "Your comment is waiting for review: a moderator looks at it before "
                "anyone else can see it."
            ),
        )
        return redirect(comment.article.get_absolute_url() + "#komentar")
    messages.success(request, _("Your comment has been posted."))
    return redirect(_thread_url(comment))


@login_required
@require_POST
def post(request, article_pk):
    article = get_object_or_404(
        Article.objects.select_related("author"), pk=article_pk, status="published"
    )
    reply_to = None
    if request.POST.get("reply_to"):
        reply_to_pk = request.POST["reply_to"]
        # ASCII digits that fit a key: int() reads other scripts' digits, refuses "²".
        if reply_to_pk.isascii() and reply_to_pk.isdigit() and len(reply_to_pk) <= 18:
            reply_to = get_comment_for_reader(request, int(reply_to_pk))
        if reply_to is None or reply_to.article_id != article.pk:
            form = CommentForm(request.POST)
            form.is_valid()
            form.add_error(None, _("You can only reply to a comment on the same article."))
            return _form_page(request, form=form, article=article, status=400)
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _form_page(request, form=form, article=article, reply_to=reply_to, status=400)
    try:
        comment = services.post_comment(
            article,
            author=request.user,
            body=form.cleaned_data["body"],
            reply_to=reply_to,
            **screening.form_signals(request.POST),
        )
    except services.CommentRateLimited as error:
        form.add_error(None, error.message)
        return _form_page(request, form=form, article=article, reply_to=reply_to, status=429)
    except ValidationError as error:
        form.add_error(None, error)
        return _form_page(request, form=form, article=article, reply_to=reply_to, status=400)
    return _posted(request, comment)


@login_required
@require_safe
def reply(request, pk):
    comment = get_comment_for_reader(request, pk)
    return _form_page(request, form=CommentForm(), article=comment.article, reply_to=comment)


@require_safe
def permalink(request, pk):
    comment = get_comment_for_reader(request, pk)
    return redirect(_thread_url(comment))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def edit(request, pk):
    comment = get_comment_for_writer(request, pk)
    if request.method == "POST":
        form = CommentForm(request.POST)
        if form.is_valid():
            try:
                services.edit_comment(comment, editor=request.user, body=form.cleaned_data["body"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if _is_fetch(request):
                    return _posted(request, comment)
                messages.success(request, _("Your comment has been changed."))
                return redirect(_thread_url(comment))
        status = 400
    else:
        form = CommentForm(initial={"body": comment.body})
        status = 200
    return _form_page(request, form=form, article=comment.article, comment=comment, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def delete(request, pk):
    comment = get_comment_for_writer(request, pk)
    if request.method == "POST":
        services.delete_comment(comment, by=request.user)
        messages.success(request, _("Your comment has been deleted."))
        return redirect(f"{comment.article.get_absolute_url()}#komentar")
    return render(request, "comments/confirm_delete.html", {"comment": comment})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def hide(request, pk):
    """The article's author confirms hiding a comment and may say why."""
    comment = get_comment_for_article_author(request, pk)
    if not comment.is_visible:
        messages.info(request, _("This comment is already hidden."))
        return redirect(_thread_url(comment, for_article_author=True))
    status = 200
    if request.method == "POST":
        form = HideCommentForm(request.POST)
        if form.is_valid():
            try:
                services.hide_comment_as_author(
                    comment, by=request.user, reason=form.cleaned_data["reason"]
                )
            except ValidationError as error:
                form.add_error("reason", error)
            else:
                messages.success(
                    request,
                    _(
                        "The comment is hidden. Its writer is told, with your reason; "
                        "you can show it again from its placeholder."
                    ),
                )
                return redirect(_thread_url(comment, for_article_author=True))
        status = 400
    else:
        form = HideCommentForm()
    return render(
        request, "comments/confirm_hide.html", {"comment": comment, "form": form}, status=status
    )


@login_required
@require_POST
def unhide(request, pk):
    comment = get_comment_for_article_author(request, pk)
    services.unhide_comment_as_author(comment, by=request.user)
    messages.success(request, _("The comment is shown again."))
    return redirect(_thread_url(comment))


@login_required
@require_safe
def hidden_notice(request, pk):
    """The commenter's view of their comment hidden by the article's author:
    the text, the reason, and where to contest it."""
    comment = get_comment_for_writer(request, pk)
    return render(request, "comments/hidden_notice.html", {"comment": comment})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def like(request, pk):
    """Like a comment or take the like back (action=like|unlike). GET asks for
    confirmation: the link in the thread leads here when JavaScript does not post."""
    comment = get_comment_for_reader(request, pk)
    if not comment.is_visible:
        raise Http404
    if request.method != "POST":
        liked = services.liked_among(request.user, [comment.pk]) == [comment.pk]
        return render(request, "comments/confirm_like.html", {"comment": comment, "liked": liked})
    action = request.POST.get("action", "")
    message, refused = None, False
    try:
        if action == "like":
            services.like_comment(comment, reader=request.user)
            message = _("You like this comment.")
        elif action == "unlike":
            services.unlike_comment(comment, reader=request.user)
            message = _("You no longer like this comment.")
        else:
            message, refused = _("Choose to like the comment or to take your like back."), True
    except ValidationError as error:
        message, refused = error.messages[0], True
    comment.refresh_from_db(fields=["like_count"])
    liked = services.liked_among(request.user, [comment.pk]) == [comment.pk]
    if request.headers.get("X-Requested-With") == "fetch":
        return JsonResponse(
            {"on": liked, "count": comment.like_count or "", "message": message},
            status=400 if refused else 200,
        )
    (messages.error if refused else messages.success)(request, message)
    return redirect(_thread_url(comment))


@login_required
@require_safe
def like_status(request):
    """Which of the comments ``?id=..&id=..`` the reader liked (for the like links)."""
    ids = [number for value in request.GET.getlist("id") if (number := page_number(value))]
    return JsonResponse({"on": services.liked_among(request.user, ids)})
