"""The hidden fields of a form the spam rules read (core.screening, README "Trust and spam")."""

from django import template

from core import screening

register = template.Library()


@register.simple_tag
def form_signal_fields() -> dict:
    return {
        "stamp_field": screening.STAMP_FIELD,
        "stamp": screening.form_stamp(),
        "honeypot_field": screening.HONEYPOT_FIELD,
    }
