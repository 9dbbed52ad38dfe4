from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.stagekit import clear_login
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import translation

from core import origin, screening
from core.network import client_address


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
        """allauth builds its mails' links (confirm, reset, sign up) on the request's
        host; they go out on the site's public address instead (core.origin), so a
        mail never depends on how the request that caused it reached us."""
        request = self.request
        if request is not None:
            request_origin = request.build_absolute_uri("/").rstrip("/")
            context = {
                key: origin.site_url() + value.removeprefix(request_origin)
                if isinstance(value, str) and value.startswith(request_origin + "/")
                else value
                for key, value in context.items()
            }
        user = context.get("user")
        language = user.mail_language if isinstance(user, get_user_model()) else None
        with translation.override(language or translation.get_language()):
            super().send_mail(template_prefix, email, context)

    def pre_login(self, request, user, **kwargs):
        """A suspended account is told so, and until when, instead of being signed in."""
        if getattr(user, "is_suspended", False):
            clear_login(request)
            return render(request, "account/suspended.html", {"suspended_user": user}, status=403)
        return super().pre_login(request, user, **kwargs)

    def save_user(self, request, user, form, commit=True):
        """A new account: its emails are in the language it signed up in; the
        screening app (trust) may flag one address's many sign-ups for review, it
        never refuses one (carrier NAT shares addresses)."""
        user.language = translation.get_language() or ""
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            screening.signed_up(user, client_address(request))
        return user

    def get_client_ip(self, request):
        """The address allauth's rate limits (sign-in, sign-up, password reset) key on:
        the project's one definition, core.network.client_address, behind
        TRUSTED_PROXY_COUNT proxies. Without an address the request is refused, as
        allauth's own version does, rather than sharing one limit with everyone."""
        address = client_address(request)
        if not address:
            raise PermissionDenied("Unable to determine client IP address")
        return address
