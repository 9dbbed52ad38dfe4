from django.urls import path

from . import views

app_name = "moderation"

urlpatterns = [
    path("laporkan/artikel/<int:pk>/", views.report_article, name="report_article"),
    path("laporkan/komentar/<int:pk>/", views.report_comment, name="report_comment"),
    path("laporkan/akun/<str:username>/", views.report_account, name="report_account"),
    path("laporan-saya/", views.my_reports, name="my_reports"),
]
