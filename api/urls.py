from django.urls import path

from . import views

app_name = "api"

# The signed-in pages (under the language prefix); the API itself is mounted in
# blogplatform/urls.py at /api/v1/.
urlpatterns = [
    path("profil/token/", views.tokens, name="tokens"),
    path("profil/token/<int:pk>/cabut/", views.revoke, name="revoke_token"),
]
