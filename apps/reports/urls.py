from django.urls import path

from . import exports, views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="report_list"),
    path("tao/", views.report_generate, name="report_generate"),
    path("<int:pk>/", views.report_detail, name="report_detail"),
    path("<int:pk>/trang-thai/", views.report_status, name="report_status"),
    path("<int:pk>/noi-dung/", views.report_narrative, name="report_narrative"),
    path("<int:pk>/chuyen/", views.report_transition, name="report_transition"),
    path("<int:pk>/tai-ve.<str:fmt>", views.report_download, name="report_download"),
    path("xuat/<slug:name>.<str:fmt>", exports.export_list, name="export"),
]
