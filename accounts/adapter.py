from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.stagekit import clear_login
from django.shortcuts import render


class AccountAdapter(DefaultAccountAdapter):
    def pre_login(self, request, user, **kwargs):
        """A suspended account is told so, and until when, instead of being signed in."""
        if getattr(user, "is_suspended", False):
            clear_login(request)
            return render(request, "account/suspended.html", {"suspended_user": user}, status=403)
        return super().pre_login(request, user, **kwargs)
