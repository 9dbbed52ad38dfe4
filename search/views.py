from django.conf import settings
from django.shortcuts import render
from django.views.decorators.http import require_safe

from caching import generations
from caching.pages import public_page
from core.pagination import paginate

from . import engine, selectors
from .forms import SearchForm

QUERY = ["q", "topik", "penulis", "dari", "sampai", "urutan", "halaman"]


@require_safe
@public_page(query=QUERY, depends=[generations.LISTS, generations.PEOPLE])
def search(request):
    """/cari/?q=: published articles by relevance or newest, filtered by topic, author
    and dates, with the authors, topics and tags that match; a query that finds
    nothing is corrected when a published title, tag or name is close (README, "Search")."""
    form = SearchForm(request.GET)
    form.is_valid()  # a bad filter is left out (form.filters), never a 500
    query = form.cleaned_data.get("q", "") if hasattr(form, "cleaned_data") else ""
    context = {"form": form, "query": query, "page": None, "results": [], "corrected": None}
    parsed = engine.parse_query(query)
    if parsed:
        articles = selectors.filtered_articles(**form.filters())
        found = engine.search_articles(articles, parsed, order=form.order)
        page = paginate(request, found, settings.ARTICLES_PER_PAGE)
        if not page.paginator.count and page.number == 1:
            corrected = engine.suggest_correction(query, parsed)
            if corrected:
                parsed, context["corrected"] = engine.parse_query(corrected), corrected
                found = engine.search_articles(articles, parsed, order=form.order)
                page = paginate(request, found, settings.ARTICLES_PER_PAGE)
        context["page"] = page
        context["results"] = selectors.results(page, parsed, context["corrected"] or query)
        context["capped"] = page.paginator.count >= engine.MAX_RESULTS
        if page.number == 1:
            context["matches"] = selectors.matching_names(parsed)
    return render(request, "search/search.html", context)
