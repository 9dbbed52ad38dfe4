from django.urls import path

from . import views

app_name = "trust"

urlpatterns = [
    path("baca/<int:article_id>/", views.reading, name="reading"),
]
