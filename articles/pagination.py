from django.core.paginator import InvalidPage, Page, Paginator
from django.http import Http404, HttpRequest
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from blogplatform import pagecache

PAGE_PARAMETER = "halaman"


class CachedCountPaginator(Paginator):
    """A paginator whose COUNT comes from the shared cache, under the site's
    generation: every publication, edit or status change recounts it, reading a
    page never does. At a million articles that COUNT is the costly query of a
    list page (see bench/README.md)."""

    def __init__(self, object_list, per_page, *, request, count_key: str):
        super().__init__(object_list, per_page)
        self.request, self.count_key = request, count_key

    @cached_property
    def count(self):
        return pagecache.cached(
            self.request,
            f"count:{self.count_key}",
            [pagecache.SITE],
            lambda: Paginator.count.func(self),
        )


def paginate(
    request: HttpRequest,
    object_list,
    per_page: int,
    *,
    parameter: str = PAGE_PARAMETER,
    count_key: str | None = None,
) -> Page:
    """The requested page of a list; a page that is not a number or out of range is a 404.

    With ``count_key`` (naming the list: "topic:7") its total comes from the
    shared cache; for lists that only change with the site's generation.
    """
    paginator = (
        CachedCountPaginator(object_list, per_page, request=request, count_key=count_key)
        if count_key
        else Paginator(object_list, per_page)
    )
    raw = request.GET.get(parameter, "1")
    try:
        page = paginator.page(raw)
    except InvalidPage as error:
        raise Http404(_("That page does not exist.")) from error
    # The page links to show: 1 … 4 5 [6] 7 8 … 20.
    page.page_range = list(paginator.get_elided_page_range(page.number, on_each_side=2))
    page.parameter = parameter
    return page
