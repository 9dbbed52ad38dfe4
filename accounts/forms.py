from allauth.account.adapter import get_adapter
from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.utils.translation import gettext_lazy as _

from .images import open_image
from .models import User


class ProfileForm(forms.ModelForm):
    """What an author may change about themselves; nothing else is a field here."""

    avatar_upload = forms.FileField(
        label=_("Profile photo"),
        required=False,
        help_text=_("JPEG, PNG, WebP or GIF, at most 8 MB."),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}
        ),
    )
    remove_avatar = forms.BooleanField(label=_("Remove the profile photo"), required=False)
    language = forms.ChoiceField(
        label=_("Language of emails"),
        choices=settings.LANGUAGES,
        required=False,  # left out, the language stays as it was
        help_text=_("Notifications and notices from the site are written in this language."),
    )

    class Meta:
        model = User
        fields = ["display_name", "occupation", "tagline", "bio", "language"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 5})}
        help_texts = {
            "display_name": _("The name readers see. Leave empty to show your username."),
            "tagline": _("One line about you, shown under your name."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # An account older than the choice shows the language its mail is in.
        self.initial["language"] = self.instance.mail_language

    def clean_language(self):
        return self.cleaned_data["language"] or self.instance.language

    def clean_display_name(self):
        return " ".join(self.cleaned_data["display_name"].split())

    def clean_tagline(self):
        return " ".join(self.cleaned_data["tagline"].split())

    def clean_avatar_upload(self):
        upload = self.cleaned_data.get("avatar_upload")
        if upload:
            open_image(upload)  # raises a translated ValidationError
        return upload


class AdminLoginForm(AdminAuthenticationForm):
    """The admin's sign-in form, checked through allauth so that it counts towards the
    same failed sign-in limits as the site's (ACCOUNT_RATE_LIMITS["login_failed"]);
    Django's own form would let anyone guess staff passwords without limit."""

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            # Raises "too many failed sign-in attempts" once a limit is reached.
            self.user_cache = get_adapter(self.request).authenticate(
                self.request, username=username, password=password
            )
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data
