from django.urls import path

from . import views

app_name = "rights"

urlpatterns = [
    path("komentar/<int:pk>/keberatan/", views.contest_hide, name="contest_hide"),
    path("akun/data/", views.my_data, name="my_data"),
    path("akun/data/ekspor/", views.request_export, name="request_export"),
    path("akun/data/unduh/<str:token>/", views.download_export, name="download_export"),
    path("akun/data/persetujuan/", views.save_consent, name="save_consent"),
    path("akun/data/koreksi/", views.request_correction, name="request_correction"),
    path("akun/data/hapus/", views.delete_account, name="delete_account"),
    path("banding/<int:action_id>/", views.appeal, name="appeal"),
    path("hak-jawab/<int:pk>/", views.reply, name="reply"),
    path("transparansi/", views.transparency, name="transparency"),
    path(
        "transparansi/<int:year>/<int:month>/",
        views.transparency_month,
        name="transparency_month",
    ),
    path(
        "transparansi/<int:year>/<int:month>.csv",
        views.transparency_month,
        {"fmt": "csv"},
        name="transparency_csv",
    ),
]
