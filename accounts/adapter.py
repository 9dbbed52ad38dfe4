from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.stagekit import clear_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from core import screening
from core.network import client_address


class AccountAdapter(DefaultAccountAdapter):
    def pre_login(self, request, user, **kwargs):
        """A suspended account is told so, and until when, instead of being signed in."""
        if getattr(user, "is_suspended", False):
            clear_login(request)
            return render(request, "account/suspended.html", {"suspended_user": user}, status=403)
        return super().pre_login(request, user, **kwargs)

    def save_user(self, request, user, form, commit=True):
        """A new account: the screening app (trust) may flag one address's many
        sign-ups for review; it never refuses one (carrier NAT shares addresses)."""
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
