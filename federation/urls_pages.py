from django.urls import path

from . import pages

app_name = "federation_pages"

urlpatterns = [
    path("profil/fediverse/", pages.choices, name="choices"),
]
