from django.core.paginator import InvalidPage, Page, Paginator
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

PAGE_PARAMETER = "halaman"


def paginate(
    request: HttpRequest, object_list, per_page: int, *, parameter: str = PAGE_PARAMETER
) -> Page:
    """The requested page of a list; a page that is not a number or out of range is a 404."""
    paginator = Paginator(object_list, per_page)
    raw = request.GET.get(parameter, "1")
    try:
        page = paginator.page(raw)
    except InvalidPage as error:
        raise Http404(_("That page does not exist.")) from error
    # The page links to show: 1 … 4 5 [6] 7 8 … 20.
    page.page_range = list(paginator.get_elided_page_range(page.number, on_each_side=2))
    page.parameter = parameter
    return page
