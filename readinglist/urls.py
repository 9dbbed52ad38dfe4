from django.urls import path

from . import views

app_name = "readinglist"

urlpatterns = [
    path("bacaan-saya/", views.reading_list, name="list"),
    path("bacaan-saya/status/", views.status, name="status"),
    path("bacaan-saya/simpan/<int:pk>/", views.toggle, name="toggle"),
]
