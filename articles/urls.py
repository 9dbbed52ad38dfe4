from django.urls import path

from . import views

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("topik/<slug:slug>/", views.topic, name="topic"),
    path("tag/<slug:slug>/", views.tag, name="tag"),
    path("penulis/<str:username>/", views.author, name="author"),
    path("artikel/<int:pk>/<slug:slug>/", views.detail, name="detail"),
    path("artikel/<int:pk>/<slug:slug>/halaman/<int:page>/", views.page, name="page"),
    path("artikel/<int:pk>/<slug:slug>/semua/", views.all_pages, name="all_pages"),
]
