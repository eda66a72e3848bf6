from django.urls import path

from apps.reports.views import dashboard

from . import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("quan-ly/", dashboard, name="dashboard"),
]
