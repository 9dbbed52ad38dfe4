from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from articles.models import Article
from core.pagination import page_number, paginate
from core.redirects import safe_next

from . import services


@login_required
@require_safe
def reading_list(request):
    """Bacaan Saya: the reader's saved articles, most recently saved first."""
    page = paginate(request, services.reading_list(request.user), settings.ARTICLES_PER_PAGE)
    return render(request, "readinglist/list.html", {"page": page})


def _labels(saved: bool) -> dict:
    return {
        "on": saved,
        "label": _("Saved") if saved else _("Save"),
        "action": "remove" if saved else "save",
    }


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def toggle(request, pk):
    """Save an article or take it off the list (action=save|remove). GET asks for
    confirmation: the cards' links lead here when JavaScript does not post for them."""
    article = Article.objects.published().select_related("author").filter(pk=pk).first()
    if article is None:
        raise Http404(_("This article is not available."))
    if request.method != "POST":
        saved = services.is_saved(request.user, article.pk)
        context = {"article": article, "next": safe_next(request, ""), "saved": saved}
        return render(request, "readinglist/confirm.html", context)
    action = request.POST.get("action", "")
    if action == "save":
        services.save(request.user, article)
        saved, message = True, _("Saved to My reading list.")
    elif action == "remove":
        services.remove(request.user, article.pk)
        saved, message = False, _("Removed from My reading list.")
    else:
        saved, message = services.is_saved(request.user, article.pk), None
    if request.headers.get("X-Requested-With") == "fetch":
        return JsonResponse({**_labels(saved), "message": message or ""})
    if message is None:
        messages.error(request, _("Choose to save the article or to remove it."))
    else:
        messages.success(request, message)
    return redirect(safe_next(request, article.get_absolute_url()))


@login_required
@require_safe
def status(request):
    """Which of the articles ``?id=..&id=..`` the reader saved (for the cards' buttons)."""
    ids = [number for value in request.GET.getlist("id") if (number := page_number(value))]
    return JsonResponse({"on": services.saved_among(request.user, ids)})
