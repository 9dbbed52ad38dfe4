from django import forms

from .models import EMAILED_KINDS, EmailPreference


class EmailPreferenceForm(forms.ModelForm):
    """One switch per kind a person can receive by email."""

    class Meta:
        model = EmailPreference
        fields = [EmailPreference.field_for(kind) for kind in EMAILED_KINDS]
