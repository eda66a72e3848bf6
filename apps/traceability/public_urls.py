"""Public URLs of stamps, at the root: /t/<code>/ and the GS1 Digital Link /01/<gtin>/10/<lot>/21/<serial>."""

from django.urls import path

from . import views

app_name = "trace_scan"

urlpatterns = [
    path("t/", views.enter_code, name="enter_code"),
    path("t/<str:code>/", views.stamp, name="stamp"),
    path("t/<str:code>/bao-tem-gia/", views.report_fake, name="report_fake"),
    path("01/<str:gtin>/10/<str:lot>/21/<str:serial>", views.digital_link, name="digital_link"),
    path("01/<str:gtin>/21/<str:serial>", views.digital_link, name="digital_link_no_lot"),
]
