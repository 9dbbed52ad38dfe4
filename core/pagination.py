import re

from django.conf import settings
from django.core.paginator import InvalidPage, Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from caching import fragments, generations

PAGE_PARAMETER = "halaman"
# ASCII digits only, and few of them: int() also reads other scripts' digits
# (Arabic-Indic, full-width), signs, spaces and underscores, so one page would
# answer to many spellings; str.isdigit() passes "²", which int() then refuses.
PAGE_NUMBER = re.compile(r"[0-9]{1,9}")


def page_number(value: str | None) -> int | None:
    """The page number written in ASCII digits, or None for anything else."""
    if value is None or not PAGE_NUMBER.fullmatch(value):
        return None
    return int(value)


class KeysFirstPaginator(Paginator):
    def _get_page(self, object_list, number, paginator):
        """Past the first page, find the page's keys first, then read those rows:

            WHERE id IN (SELECT id ... ORDER BY ... LIMIT 12 OFFSET n)

        The inner query skips its OFFSET along the list's index alone (an
        index-only scan: section, status, published_at, id), where a plain
        OFFSET reads every skipped row from the table (page 5,000 of a topic: 60,000
        rows)."""
        if isinstance(object_list, QuerySet) and object_list.query.low_mark:
            object_list = self.object_list.filter(pk__in=object_list.values("pk"))
        return super()._get_page(object_list, number, paginator)


class TalliedPaginator(KeysFirstPaginator):
    """A paginator whose total is read from a tally kept on write (articles.tallies):
    exact at once, without a COUNT, and cached under the list's generations
    (``depends``) like the page it belongs to."""

    def __init__(self, object_list, per_page, *, total, count_key: str, depends):
        super().__init__(object_list, per_page)
        self.total, self.count_key, self.depends = total, count_key, depends

    @cached_property
    def count(self) -> int:
        return fragments.cached(f"tally:{self.count_key}", self.depends, self.total)


class CachedCountPaginator(KeysFirstPaginator):
    """A paginator whose COUNT comes from the shared cache, under the list's
    generations (``depends``): a publication, edit or status change makes it
    stale, reading a page never does.

    For a list without a tally (a tag's, an author's) that COUNT is the costly
    query of the page at scale (bench/README.md), and a busy site publishes every few
    seconds. So a long list (LONG_LIST items or more) reuses its count from up
    to PAGE_CACHE_SECONDS ago instead of counting after each publication: only
    its last page can lag (an item added at the end shows there a minute
    later). A shorter list is counted again at once, so a new author's or
    tag's first article shows on its page straight away.
    """

    LONG_LIST = 1000

    def __init__(self, object_list, per_page, *, count_key: str, depends, max_pages=None):
        super().__init__(object_list, per_page)
        self.count_key, self.depends, self.max_pages = count_key, depends, max_pages

    @cached_property
    def full_count(self) -> int:
        return fragments.cached(
            f"count:{self.count_key}",
            self.depends,
            self._recount,
            timeout=settings.PAGE_CACHE_SECONDS,
        )

    def _recount(self) -> int:
        recent = fragments.cached(
            f"recent-count:{self.count_key}",
            [],
            lambda: self._exact_count,
            timeout=settings.PAGE_CACHE_SECONDS,
        )
        return recent if recent >= self.LONG_LIST else self._exact_count

    @cached_property
    def _exact_count(self) -> int:
        """The COUNT itself, run at most once per paginator. A list shown in
        ``max_pages`` pages is counted no further than one item past them: a
        tag's pages need to know that there are more, not how many."""
        if self.max_pages is not None:
            return self.object_list[: self.max_pages * self.per_page + 1].count()
        return Paginator.count.func(self)

    @cached_property
    def count(self):
        """The total, or what ``max_pages`` pages hold when there are more."""
        if self.max_pages is None:
            return self.full_count
        return min(self.full_count, self.max_pages * self.per_page)

    @property
    def is_capped(self) -> bool:
        return self.count < self.full_count


def paginate(
    request: HttpRequest,
    object_list,
    per_page: int,
    *,
    parameter: str = PAGE_PARAMETER,
    count_key: str | None = None,
    depends=(generations.LISTS,),
    max_pages: int | None = None,
    total=None,
) -> Page:
    """The requested page of a list; a page that is not a number or out of range is a 404.

    With ``count_key`` (naming the list: "topic:7") its total comes from the
    shared cache, under the generations ``depends`` (those the list changes with). With
    ``max_pages`` too, only that many pages are listed (``page.paginator.is_capped``
    tells whether some of the list is left out). With ``total`` (a function) as
    well, the total is what that returns, read from a tally instead of counted.
    """
    if count_key and total is not None:
        paginator = TalliedPaginator(
            object_list, per_page, total=total, count_key=count_key, depends=depends
        )
    elif count_key:
        paginator = CachedCountPaginator(
            object_list, per_page, count_key=count_key, depends=depends, max_pages=max_pages
        )
    else:
        paginator = Paginator(object_list, per_page)
    number = page_number(request.GET.get(parameter, "1"))
    try:
        if number is None:
            raise InvalidPage
        page = paginator.page(number)
    except InvalidPage as error:
        raise Http404(_("That page does not exist.")) from error
    # The page links to show: 1 … 4 5 [6] 7 8 … 20.
    page.page_range = list(paginator.get_elided_page_range(page.number, on_each_side=2))
    page.parameter = parameter
    return page
