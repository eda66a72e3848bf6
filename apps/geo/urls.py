from django.urls import path

from . import views

app_name = "geo"

urlpatterns = [
    path("<int:pk>/", views.unit_detail, name="unit_detail"),
]
