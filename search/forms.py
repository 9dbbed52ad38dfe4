from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from articles.models import Topic

from .engine import clean_query


class SearchForm(forms.Form):
    """The search page's query, filters and order. Odd input is cleaned or left out
    with a message, never refused with a 500."""

    RELEVANCE, NEWEST = "relevansi", "terbaru"

    q = forms.CharField(label=_("Search"), required=False, max_length=1000)
    topik = forms.ModelChoiceField(
        label=_("Topic"),
        queryset=Topic.objects.select_related("parent").order_by(
            "parent__position", "parent__name", "position", "name"
        ),
        required=False,
        to_field_name="slug",
        empty_label=_("All topics"),
    )
    penulis = forms.ModelChoiceField(
        label=_("Author's username"),
        queryset=get_user_model().objects.filter(is_active=True),
        required=False,
        to_field_name="username",
        widget=forms.TextInput,
    )
    dari = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    sampai = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    urutan = forms.ChoiceField(
        label=_("Order"),
        choices=[(RELEVANCE, _("Most relevant")), (NEWEST, _("Newest"))],
        required=False,
    )

    def clean_q(self):
        return clean_query(self.cleaned_data["q"])

    def clean(self):
        data = super().clean()
        dari, sampai = data.get("dari"), data.get("sampai")
        if dari and sampai and sampai < dari:
            self.add_error("sampai", _("The end date is before the start date."))
        return data

    def filters(self) -> dict:
        """The filters that were understood (a bad one is left out)."""
        data = getattr(self, "cleaned_data", {})
        return {
            name: data.get(name)
            for name in ("topik", "penulis", "dari", "sampai")
            if name not in self.errors
        }

    @property
    def order(self) -> str:
        data = getattr(self, "cleaned_data", {})
        return self.NEWEST if data.get("urutan") == self.NEWEST else self.RELEVANCE
