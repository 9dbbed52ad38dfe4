"""The pages of the API app: the token page (signed in) and the API's own
documentation, rendered from the OpenAPI schema (no script, no CDN: it works
under the site's CSP and without JavaScript)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core.events import EVENTS

from . import services
from .forms import TokenForm
from .models import AccessToken
from .v1 import api


@login_required
def tokens(request):
    """List the user's tokens and make a new one; the new token shows once, here."""
    created = None
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = services.create_token(
                request.user, name=form.cleaned_data["name"], scopes=form.cleaned_data["scopes"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            created = {"token": token, "secret": secret}
            form = TokenForm()
    context = {
        "form": form,
        "created": created,
        "tokens": AccessToken.objects.filter(user=request.user).order_by("-created_at")[:50],
    }
    response = render(request, "api/tokens.html", context)
    patch_cache_control(response, private=True, no_store=True)
    return response


@login_required
@require_POST
def revoke(request, pk):
    token = get_object_or_404(AccessToken, pk=pk, user=request.user)
    if services.revoke_token(token, by=request.user):
        messages.success(request, _("The token %(name)s no longer works.") % {"name": token.name})
    return redirect("api:tokens")


def _operations(schema: dict) -> list[dict]:
    """The schema's operations, in its order, with what a reader of the page needs."""
    found = []
    for route, methods in schema["paths"].items():
        for method, operation in methods.items():
            found.append(
                {
                    "method": method.upper(),
                    "path": route,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "tag": (operation.get("tags") or [""])[0],
                    "needs_token": bool(operation.get("security")),
                    "parameters": [
                        {
                            "name": parameter["name"],
                            "where": parameter["in"],
                            "required": parameter.get("required", False),
                            "description": parameter.get("description")
                            or parameter.get("schema", {}).get("description", ""),
                        }
                        for parameter in operation.get("parameters", [])
                    ],
                    "responses": sorted(operation.get("responses", {})),
                }
            )
    return found


@require_safe
def docs(request):
    schema = api.get_openapi_schema()
    context = {
        "schema": schema,
        "operations": _operations(schema),
        "events": EVENTS,
    }
    response = render(request, "api/docs.html", context)
    # As the site's signed-out pages (a signed-in reader's becomes private: caching.pages).
    patch_cache_control(response, public=True, max_age=settings.PAGE_CACHE_MAX_AGE)
    return response
