from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods, require_POST

from core.redirects import safe_next

from . import services
from .forms import ProfileForm


@login_required
@require_POST
def follow(request, username):
    """The + button: follow, or unfollow with action=unfollow. Answers JSON to
    site.js (which updates the button in place), a redirect otherwise."""
    author = get_object_or_404(get_user_model(), username=username, is_active=True)
    following = request.POST.get("action") != "unfollow"
    refused = author.pk == request.user.pk
    if refused:
        message, following = _("You cannot follow yourself."), False
    elif following:
        try:
            services.follow_author(request.user, author=author)
        except ValidationError as error:  # a new account's first-day cap
            message, following, refused = error.messages[0], False, True
        else:
            message = _("You now follow %(name)s.") % {"name": author.name}
    else:
        services.unfollow_author(request.user, author=author)
        message = _("You no longer follow %(name)s.") % {"name": author.name}
    if request.headers.get("X-Requested-With") == "fetch":
        return JsonResponse(
            {
                "following": following,
                "followers": author.followers.count(),
                "message": message,
                "label": pgettext("follow button", "Following") if following else "+",
                "aria_label": (_("Unfollow %(name)s") if following else _("Follow %(name)s"))
                % {"name": author.name},
            }
        )
    if refused:
        messages.error(request, message)
    else:
        messages.success(request, message)
    return redirect(safe_next(request, author.get_absolute_url()))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def edit_profile(request):
    user = request.user
    if request.method == "POST":
        form = ProfileForm(request.POST, request.FILES, instance=user)
        if form.is_valid():
            try:
                services.update_profile(
                    user,
                    data=form.cleaned_data,
                    avatar_upload=form.cleaned_data.get("avatar_upload"),
                    remove_avatar=form.cleaned_data.get("remove_avatar", False),
                )
            except ValidationError as error:
                form.add_error(None if error.code == "too_often" else "avatar_upload", error)
            else:
                messages.success(request, _("Your profile is saved."))
                return redirect(user.get_absolute_url())
        user.refresh_from_db()
        status = 400
    else:
        form, status = ProfileForm(instance=user), 200
    return render(request, "accounts/profile_form.html", {"form": form}, status=status)
