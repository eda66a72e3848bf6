"""Public URLs of the certificates app: QR verification at /xac-thuc/<token>/, a typed serial at /xac-thuc/."""

from django.urls import path

from . import views

app_name = "verify"

urlpatterns = [
    path("", views.verify_lookup, name="lookup"),
    path("<str:token>/", views.verify, name="certificate"),
]
