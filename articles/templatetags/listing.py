import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.formats import date_format
from django.utils.safestring import mark_safe

from articles.models import WIB

register = template.Library()


@register.simple_tag(takes_context=True)
def page_query(context, page, number) -> str:
    """The current query string with the page's parameter set to ``number``."""
    query = context["request"].GET.copy()
    query[page.parameter] = number
    return "?" + query.urlencode()


_JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.filter
def ld_json(data) -> str:
    """JSON for a <script type="application/ld+json"> block, safe against </script>."""
    return mark_safe(json.dumps(data, cls=DjangoJSONEncoder).translate(_JSON_SCRIPT_ESCAPES))


@register.filter(expects_localtime=True)
def machine_time(value) -> str:
    """A <time datetime> value: ISO 8601 in the current time zone, whole seconds
    (HTML allows at most three digits of a fraction; Django's "c" gives six)."""
    return value.isoformat(timespec="seconds") if value else ""


@register.filter
def wib(value) -> str:
    """A time in Western Indonesian Time, as the schedule is given: "7 Desember 2026 07:00"."""
    return date_format(value.astimezone(WIB), "DATETIME_FORMAT") if value else ""
