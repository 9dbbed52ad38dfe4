from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("notifikasi/", views.notification_list, name="list"),
    path("notifikasi/<int:pk>/dibaca/", views.mark_read, name="mark_read"),
    path("notifikasi/<int:pk>/buka/", views.open_notification, name="open"),
    path("notifikasi/semua-dibaca/", views.mark_all_read, name="mark_all_read"),
    path("notifikasi/pengaturan/", views.preferences, name="preferences"),
]
