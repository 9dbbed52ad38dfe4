"""Views of the project itself, outside the apps: only the benchmark's yardstick and
the caches' counts for its mixed run."""

import os

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.views.decorators.http import require_safe

from caching import stats

# What the yardstick's list shows: fixed, built once, so rendering it costs
# only the template engine.
YARDSTICK_CONTEXT = {
    "title": "Menakar Subsidi: Catatan Warga tentang Kebijakan yang Menyentuh Dapur",
    "published": "2 Desember 2021 13:12",
    "views": 576,
    "cards": [
        {
            "title": f"Cerita Warga ke-{number}: Pasar, Sekolah dan Jalan Kampung yang Berubah",
            "url": f"/artikel/{1000 + number}/cerita-warga-ke-{number}/",
            "topic": "Kebijakan",
            "topic_url": "/topik/kebijakan/",
            "teaser": (
                "Warga kampung berkumpul setiap sore di warung kopi untuk membicarakan harga "
                "beras, jalan yang rusak dan sekolah anak-anak mereka; dari obrolan itu lahir "
                "gagasan sederhana yang ternyata didengar pemerintah desa."
            ),
            "author": "Devi Pertiwi",
            "author_url": "/penulis/devipertiwi/",
            "published": f"{number} Desember 2021 13:12",
            "views": 100 * number + 76,
        }
        for number in range(1, 13)
    ],
}


@require_safe
def yardstick(request):
    """The benchmark's reference page: about 30 KB of HTML from a template, no queries.

    Rendered without the request, so no context processor runs, and it never
    reads the session or the database: it measures gunicorn, the middleware and
    the template engine, the ceiling the real pages are compared with (see
    bench/README.md). A 404 unless BENCHMARK_YARDSTICK is set.
    """
    if not settings.BENCHMARK_YARDSTICK:
        raise Http404
    return HttpResponse(render_to_string("bench/yardstick.html", YARDSTICK_CONTEXT))


@require_safe
def cache_stats(request):
    """How often each cache of this worker answered (caching.stats), for the
    benchmark's mixed run; a 404 unless BENCHMARK_YARDSTICK is set."""
    if not settings.BENCHMARK_YARDSTICK:
        raise Http404
    return JsonResponse({"pid": os.getpid(), "counts": dict(stats.counts)})
