from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("profil/ubah/", views.edit_profile, name="edit_profile"),
    path("penulis/<str:username>/ikuti/", views.follow, name="follow"),
]
