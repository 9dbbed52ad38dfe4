from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import DETAILS_MAX_LENGTH, REASON_MAX_LENGTH, ModerationAction, Reason

Kind = ModerationAction.Kind


class ReportForm(forms.Form):
    """Laporkan Konten / Laporkan Akun: a reason (Alasan) and, optionally, details."""

    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=Reason.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a reason."),
            "invalid_choice": _("Choose one of the listed reasons."),
        },
    )
    details = forms.CharField(
        label=_("Details"),
        required=False,
        max_length=DETAILS_MAX_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Plain text. Required when you choose “Other”."),
        error_messages={
            "max_length": _(
                "Details can be at most %(limit_value)d characters (they have %(show_value)d)."
            )
        },
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reason") == Reason.OTHER and not cleaned.get("details"):
            self.add_error("details", _("Tell us what is wrong when you choose “Other”."))
        return cleaned


class ModerationActionForm(forms.Form):
    """What a moderator gives for an action: the rule (for hide, warn and suspend),
    the public reason, an internal note, for a hide the reason it cannot wait for
    the author's reply (when it cannot) and, for a suspension, its end."""

    rule = forms.ChoiceField(
        label=_("Rule broken"), choices=[("", "---------"), *Reason.choices], required=True
    )
    public_reason = forms.CharField(
        label=_("Public reason"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=_("Shown to the reporters and to the author."),
    )
    internal_reason = forms.CharField(
        label=_("Internal note"),
        max_length=REASON_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        help_text=_("Seen by moderators only."),
    )
    urgent_reason = forms.CharField(
        label=_("Urgent: act before the author's reply"),
        max_length=REASON_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        help_text=_(
            "Only when it cannot wait for the author's side: say why. Recorded with the decision."
        ),
    )
    until = forms.DateTimeField(
        label=_("Suspended until"),
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Leave empty to suspend indefinitely."),
    )

    def __init__(self, *args, kind: str, initial_rule: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["rule"].initial = initial_rule
        if kind not in {Kind.HIDE, Kind.WARN, Kind.SUSPEND, Kind.REJECT}:
            del self.fields["rule"]
        if kind == Kind.RELEASE:  # publishing what the rules held needs no explanation
            self.fields["public_reason"].required = False
        if kind != Kind.SUSPEND:
            del self.fields["until"]
        if kind != Kind.HIDE:
            del self.fields["urgent_reason"]
        if kind == Kind.REVIEW:
            del self.fields["public_reason"]
            del self.fields["internal_reason"]
        # Each action's form on the case page gets its own field ids.
        self.auto_id = f"id_{kind}_%s"

    def clean_until(self):
        until = self.cleaned_data.get("until")
        if until is not None and until <= timezone.now():
            raise forms.ValidationError(_("The end of the suspension must be in the future."))
        return until

    def service_kwargs(self) -> dict:
        """The keyword arguments the action's service takes."""
        data = self.cleaned_data
        kwargs = {}
        if "public_reason" in data:
            kwargs["public_reason"] = data["public_reason"]
            kwargs["internal_reason"] = data.get("internal_reason", "")
        if "rule" in data:
            kwargs["rule"] = data["rule"]
        if "until" in data:
            kwargs["until"] = data["until"]
        if "urgent_reason" in data:
            kwargs["urgent_reason"] = data["urgent_reason"]
        return kwargs
