import re

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AuthorChoice

_HANDLE = re.compile(r"^@?[A-Za-z0-9_.\-]{1,64}@[A-Za-z0-9.\-]{1,190}\.[A-Za-z]{2,63}$")


class AuthorChoiceForm(forms.ModelForm):
    class Meta:
        model = AuthorChoice
        fields = ["federated", "discoverable", "indexable", "fediverse_handle"]

    def clean_fediverse_handle(self):
        handle = self.cleaned_data["fediverse_handle"].strip()
        if handle and not _HANDLE.match(handle):
            raise forms.ValidationError(
                _("Write the handle as @name@server, for example @devi@mastodon.social.")
            )
        if handle and not handle.startswith("@"):
            handle = "@" + handle
        return handle
