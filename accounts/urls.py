from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("penulis/<str:username>/ikuti/", views.follow, name="follow"),
]
