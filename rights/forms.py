from django import forms
from django.utils.translation import gettext_lazy as _

# Room left in a moderation report's details (1,000 characters) after the line
# that names the hidden comment.
CONTEST_MAX_LENGTH = 800


class ContestHideForm(forms.Form):
    """The commenter says why the article's author should not have hidden their comment."""

    details = forms.CharField(
        label=_("Why was hiding your comment unfair?"),
        max_length=CONTEST_MAX_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": _("Tell the moderators what happened."),
            "max_length": _("Write at most %(limit_value)d characters (you wrote %(show_value)d)."),
        },
    )
