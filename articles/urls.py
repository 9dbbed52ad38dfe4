from django.urls import path
from django.views.i18n import JavaScriptCatalog

from . import feeds, views

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("feed/", feeds.LatestArticlesFeed(), name="feed"),
    path("topik/<slug:slug>/feed/", feeds.TopicFeed(), name="topic_feed"),
    path("tag/<str:slug>/feed/", feeds.TagFeed(), name="tag_feed"),
    path("penulis/<str:username>/feed/", feeds.AuthorFeed(), name="author_feed"),
    path("feed/atom/", feeds.LatestArticlesAtomFeed(), name="atom_feed"),
    path("topik/<slug:slug>/feed/atom/", feeds.TopicAtomFeed(), name="topic_atom_feed"),
    path("tag/<str:slug>/feed/atom/", feeds.TagAtomFeed(), name="tag_atom_feed"),
    path("penulis/<str:username>/feed/atom/", feeds.AuthorAtomFeed(), name="author_atom_feed"),
    path("topik/<slug:slug>/", views.topic, name="topic"),
    path("tag/saran/", views.tag_suggestions, name="tag_suggestions"),
    path("tag/<str:slug>/", views.tag, name="tag"),
    path("penulis/<str:username>/", views.author, name="author"),
    path("artikel/<int:pk>/<slug:slug>/", views.detail, name="detail"),
    path("artikel/<int:pk>/<slug:slug>/halaman/<int:page>/", views.page, name="page"),
    path("artikel/<int:pk>/<slug:slug>/semua/", views.all_pages, name="all_pages"),
    path("nilai/<int:pk>/", views.rate, name="rate"),
    # The editor's strings in the page's language (static/js/editor-i18n.js).
    path(
        "tulis/bahasa-editor.js",
        JavaScriptCatalog.as_view(packages=["django_prose_editor"]),
        name="editor_catalogue",
    ),
    path("tulis/", views.write, name="write"),
    path("tulis/<int:pk>/", views.edit, name="edit"),
    path("tulis/simpan-otomatis/", views.autosave, name="autosave_new"),
    path("tulis/<int:pk>/simpan-otomatis/", views.autosave, name="autosave"),
    path("tulis/foto/", views.upload_image, name="upload_image_new"),
    path("tulis/<int:pk>/foto/", views.upload_image, name="upload_image"),
    path("tulis/<int:pk>/buang-simpanan/", views.discard_autosave, name="discard_autosave"),
    path("tulis/<int:pk>/terbitkan/", views.publish, name="publish"),
    path("tulis/<int:pk>/tarik/", views.unpublish, name="unpublish"),
    path("tulis/<int:pk>/hapus/", views.delete, name="delete"),
    path("tulis/<int:pk>/revisi/", views.revisions, name="revisions"),
    path("tulis/<int:pk>/revisi/<int:revision>/", views.revision, name="revision"),
    path(
        "tulis/<int:pk>/revisi/<int:revision>/pulihkan/",
        views.restore_revision,
        name="restore_revision",
    ),
    path("tulisan-saya/", views.dashboard, name="dashboard"),
    path("diikuti/", views.following, name="following"),
]
