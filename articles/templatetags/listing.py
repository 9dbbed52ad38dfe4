from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def page_query(context, page, number) -> str:
    """The current query string with the page's parameter set to ``number``."""
    query = context["request"].GET.copy()
    query[page.parameter] = number
    return "?" + query.urlencode()
