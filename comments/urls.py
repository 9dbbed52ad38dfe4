from django.urls import path

from . import views

app_name = "comments"

urlpatterns = [
    path("komentar/artikel/<int:article_pk>/", views.post, name="post"),
    path("komentar/<int:pk>/", views.permalink, name="permalink"),
    path("komentar/<int:pk>/balas/", views.reply, name="reply"),
    path("komentar/<int:pk>/ubah/", views.edit, name="edit"),
    path("komentar/<int:pk>/hapus/", views.delete, name="delete"),
    path("komentar/<int:pk>/sembunyikan/", views.hide, name="hide"),
    path("komentar/<int:pk>/tampilkan/", views.unhide, name="unhide"),
    path("komentar/<int:pk>/disembunyikan/", views.hidden_notice, name="hidden_notice"),
    path("komentar/<int:pk>/suka/", views.like, name="like"),
    path("komentar/suka/status/", views.like_status, name="like_status"),
]
