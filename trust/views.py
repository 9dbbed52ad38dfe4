"""The reading-time beacon (README, "Trust and spam")."""

import logging

from django.db import DatabaseError
from django.http import HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services

logger = logging.getLogger(__name__)


@require_POST
def reading(request, article_id: int):
    """navigator.sendBeacon from static/js/reading.js: seconds the article was in
    view. Nobody reads the answer: 204 whether it counted or not (signed out, own
    article), 400 for a malformed figure."""
    raw = request.POST.get("seconds", "")
    if not raw.isdigit() or len(raw) > 6:
        return HttpResponseBadRequest(_("Send the seconds read as a whole number."))
    try:
        services.record_reading(request.user, article_id=article_id, seconds=int(raw))
    except DatabaseError:  # a locked or absent database loses this beacon, never the page
        logger.warning("reading time not recorded", exc_info=True)
        return HttpResponse(status=503)
    return HttpResponse(status=204)
