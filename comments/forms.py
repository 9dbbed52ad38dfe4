from django import forms
from django.utils.translation import gettext_lazy as _

from .models import HIDE_REASON_MAX_LENGTH, MAX_LENGTH


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        max_length=MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": _("Write something before sending."),
            "max_length": _(
                "A comment can be at most %(limit_value)d characters (it has %(show_value)d)."
            ),
        },
    )

    def clean_body(self):
        body = self.cleaned_data["body"].strip()
        if not body:
            raise forms.ValidationError(_("Write something before sending."), code="required")
        return body


class HideCommentForm(forms.Form):
    """The article's author confirms hiding a comment, with an optional reason."""

    reason = forms.CharField(
        label=_("Reason (optional, shown to the commenter)"),
        max_length=HIDE_REASON_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "max_length": _(
                "A reason can be at most %(limit_value)d characters (it has %(show_value)d)."
            ),
        },
    )
