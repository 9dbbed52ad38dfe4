from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language
from django.views.static import serve

from api.v1 import api
from api.views import docs as api_docs
from articles.sitemaps import SITEMAPS
from articles.views import robots_txt
from blogplatform.views import cache_stats, yardstick

admin.site.site_header = _("Kolom Warga administration")
admin.site.site_title = _("Kolom Warga administration")
admin.site.index_title = _("Moderation and content")

# Indonesian pages live at the root, English ones under /en/: the URL alone
# decides the language, so a shared cache can key pages on the URL.
urlpatterns = [
    path("i18n/setlang/", set_language, name="set_language"),
    # The benchmark's reference page; a 404 unless BENCHMARK_YARDSTICK is set.
    path("bench/yardstick/", yardstick, name="bench_yardstick"),
    path("bench/stats/", cache_stats, name="bench_cache_stats"),
    path("robots.txt", robots_txt, name="robots_txt"),
    # ActivityPub ids, inboxes and discovery, the same in every language (README, "Federation").
    path("", include("federation.urls")),
    # The public API, one version, the same in every language (README, "Public API").
    path("api/v1/", api_docs, name="api_docs"),
    path("api/v1/", api.urls),
    path("sitemap.xml", sitemap_views.index, {"sitemaps": SITEMAPS}, name="sitemap_index"),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
]

urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("akun/", include("allauth.urls")),
    path("", include("accounts.urls")),
    path("", include("comments.urls")),
    path("", include("readinglist.urls")),
    path("", include("rights.urls")),
    path("", include("moderation.urls")),
    path("", include("trust.urls")),
    path("", include("notifications.urls")),
    path("", include("search.urls")),
    path("", include("api.urls")),
    path("", include("federation.urls_pages")),
    path("", include("articles.urls")),
    prefix_default_language=False,
)

if settings.SERVE_MEDIA:
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    ]
