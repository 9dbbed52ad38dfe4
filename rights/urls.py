from django.urls import path

from . import views

app_name = "rights"

urlpatterns = [
    path("komentar/<int:pk>/keberatan/", views.contest_hide, name="contest_hide"),
]
