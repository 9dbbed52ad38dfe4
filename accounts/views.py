from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@login_required
@require_POST
def follow(request, username):
    author = get_object_or_404(get_user_model(), username=username, is_active=True)
    if author.pk == request.user.pk:
        messages.error(request, _("You cannot follow yourself."))
    elif request.POST.get("action") == "unfollow":
        services.unfollow_author(request.user, author=author)
        messages.success(request, _("You no longer follow %(name)s.") % {"name": author.name})
    else:
        services.follow_author(request.user, author=author)
        messages.success(request, _("You now follow %(name)s.") % {"name": author.name})
    return redirect(_safe_next(request, author.get_absolute_url()))
