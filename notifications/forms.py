from django import forms

from .models import EMAILED_KINDS, OPTIONAL_KINDS, EmailPreference


class EmailPreferenceForm(forms.ModelForm):
    """One switch per kind a person can receive by email, and one per kind they
    can switch off altogether."""

    class Meta:
        model = EmailPreference
        fields = [
            *(EmailPreference.field_for(kind) for kind in EMAILED_KINDS),
            *(f"notify_{kind}" for kind in OPTIONAL_KINDS),
        ]

    def email_fields(self):
        return [field for field in self if field.name.startswith("email_")]

    def site_fields(self):
        return [field for field in self if field.name.startswith("notify_")]
