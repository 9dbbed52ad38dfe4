from django import forms
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

    class Meta:
        model = User
        fields = ["display_name", "occupation", "tagline", "bio"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 5})}
        help_texts = {
            "display_name": _("The name readers see. Leave empty to show your username."),
            "tagline": _("One line about you, shown under your name."),
        }

    def clean_display_name(self):
        return " ".join(self.cleaned_data["display_name"].split())

    def clean_tagline(self):
        return " ".join(self.cleaned_data["tagline"].split())

    def clean_avatar_upload(self):
        upload = self.cleaned_data.get("avatar_upload")
        if upload:
            open_image(upload)  # raises a translated ValidationError
        return upload
