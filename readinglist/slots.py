"""The part of the shared article page that is the reader's own (caching.readers)."""

from caching import fragments, generations, readers

from . import services


@readers.slot("bookmark", depends=lambda reader, **arguments: [generations.reader(reader)])
def bookmark_button(request, *, article_pk, next) -> str:
    """Save or unsave, as the reader has it now (one indexed lookup, cached under
    the reader's generation, which saving and removing bump)."""
    reader = request.user.pk
    saved = fragments.cached(
        f"bookmark:{reader}:{article_pk}",
        [generations.reader(reader)],
        lambda: services.is_saved(request.user, article_pk),
    )
    context = {"article_pk": article_pk, "next": next, "saved": saved}
    return readers.render_own(request, "readinglist/button.html", context)
