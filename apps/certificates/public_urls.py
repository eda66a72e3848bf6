"""Public URLs of the certificates app: QR verification at /xac-thuc/<token>/."""

from django.urls import path

from . import views

app_name = "verify"

urlpatterns = [
    path("<str:token>/", views.verify, name="certificate"),
]
