"""The parts of shared signed-in pages that are the reader's own (caching.readers)."""

from caching import fragments, generations, readers

from .services import rating_summary


@readers.slot(
    "rating",
    depends=lambda reader, *, article_pk: [
        generations.article(article_pk),
        generations.reader(reader),
    ],
)
def rating_form(request, *, article_pk) -> str:
    """The rating buttons with the counts and the reader's own choice: one GROUP BY,
    cached under the article's generation and the reader's (rating bumps both)."""
    reader = request.user.pk
    rating = fragments.cached(
        f"rating:{reader}:{article_pk}",
        [generations.article(article_pk), generations.reader(reader)],
        lambda: rating_summary(article_pk, request.user),
    )
    context = {"article_pk": article_pk, "rating": rating}
    return readers.render_own(request, "articles/rating_form.html", context)
