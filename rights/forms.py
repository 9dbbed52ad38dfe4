from django import forms
from django.utils.translation import gettext_lazy as _

from .models import (
    APPEAL_MAX_LENGTH,
    CORRECTION_MAX_LENGTH,
    REPLY_MAX_LENGTH,
    AccountDeletion,
    ConsentPurpose,
)

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


class ConsentForm(forms.Form):
    """One switch per optional purpose (rights.models.ConsentPurpose)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for purpose in ConsentPurpose:
            self.fields[purpose.value] = forms.BooleanField(label=purpose.label, required=False)


class CorrectionRequestForm(forms.Form):
    what = forms.CharField(
        label=_("What is wrong, and what is right?"),
        max_length=CORRECTION_MAX_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "For what you cannot change on your profile page yourself. We answer within 3×24 hours."  # noqa: RUF001
        ),
        error_messages={
            "required": _("Say what is wrong and what is right."),
            "max_length": _("Write at most %(limit_value)d characters (you wrote %(show_value)d)."),
        },
    )


class DeleteAccountForm(forms.Form):
    writing = forms.ChoiceField(
        label=_("What happens to your articles and comments?"),
        choices=AccountDeletion.Writing.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what happens to your writing.")},
    )
    password = forms.CharField(
        label=_("Your password, to confirm"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Enter your password to confirm.")},
    )


class AppealForm(forms.Form):
    text = forms.CharField(
        label=_("Why should the decision change?"),
        max_length=APPEAL_MAX_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("At most 2,000 characters. You can appeal each decision once."),
        error_messages={
            "required": _("Say why the decision should change."),
            "max_length": _("Write at most %(limit_value)d characters (you wrote %(show_value)d)."),
        },
    )


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Your side, for the moderators"),
        max_length=REPLY_MAX_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": _("Write your reply."),
            "max_length": _("Write at most %(limit_value)d characters (you wrote %(show_value)d)."),
        },
    )
