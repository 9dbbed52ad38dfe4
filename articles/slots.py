"""The parts of shared signed-in pages that are the reader's own (caching.readers)."""

from django.template.loader import render_to_string

from caching import readers

from .services import rating_summary


@readers.slot("rating")
def rating_form(request, *, article_pk) -> str:
    """The rating buttons with the counts and the reader's own choice (one GROUP BY)."""
    context = {"article_pk": article_pk, "rating": rating_summary(article_pk, request.user)}
    return render_to_string("articles/rating_form.html", context, request=request)
