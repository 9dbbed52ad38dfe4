"""The author's own federation page (under the language prefixes)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from caching import generations

from . import actors, reactions, services
from .forms import AuthorChoiceForm


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def choices(request):
    user = request.user
    choice = actors.choice_for(user)
    if request.method == "POST":
        form = AuthorChoiceForm(request.POST, instance=choice)
        if form.is_valid():
            services.save_author_choice(
                user, **{name: form.cleaned_data[name] for name in form.Meta.fields}
            )
            # Their page's links and their articles' creator tag change.
            generations.bump(generations.author(user.pk))
            messages.success(request, _("Your fediverse settings are saved."))
            return redirect("federation_pages:choices")
        status = 400
    else:
        form, status = AuthorChoiceForm(instance=choice), 200
    context = {
        "form": form,
        "handle": f"@{user.username}@{actors.domain(request)}",
        "remote_followers": user.remote_followers.count(),
        "reactions": reactions.for_author(user),
        "most_reacted": reactions.most_reacted(user),
    }
    return render(request, "federation/choices.html", context, status=status)
