"""Producer and officer screens of traceability, under /quan-ly/truy-xuat/."""

from django.urls import path

from . import staff_views as v

app_name = "traceability"

urlpatterns = [
    path("", v.index, name="index"),
    path("co-so/moi/", v.site_create, name="site_create"),
    path("co-so/<int:pk>/", v.site_detail, name="site_detail"),
    path("co-so/<int:pk>/sua/", v.site_edit, name="site_edit"),
    path("co-so/<int:pk>/chung-nhan/", v.site_certification_add, name="site_certification_add"),
    path("lo/moi/", v.lot_create, name="lot_create"),
    path("lo/<int:pk>/", v.lot_detail, name="lot_detail"),
    path("lo/<int:pk>/su-kien/", v.lot_event_add, name="lot_event_add"),
    path("lo/<int:pk>/yeu-cau-tem/", v.lot_batch_request, name="lot_batch_request"),
    path("lo/<int:pk>/epcis.jsonld", v.lot_export_epcis, name="lot_export_epcis"),
    path("lo/<int:pk>/truy-xuat.csv", v.lot_export_csv, name="lot_export_csv"),
    path("tem/yeu-cau/", v.batch_request, name="batch_request"),
    path("tem/<int:pk>/", v.batch_detail, name="batch_detail"),
    path("tem/<int:pk>/duyet/", v.batch_decide, name="batch_decide"),
    path("tem/<int:pk>/huy/", v.batch_void, name="batch_void"),
    path("tem/<int:pk>/huy-khoang/", v.batch_void_range, name="batch_void_range"),
    path("tem/<int:pk>/tep/<str:kind>/", v.batch_file, name="batch_file"),
    path("thong-ke/", v.statistics, name="statistics"),
    path("canh-bao/", v.alerts, name="alerts"),
    path("bao-cao-tem-gia/", v.reports, name="reports"),
    path("bao-cao-tem-gia/<int:pk>/anh/", v.report_photo, name="report_photo"),
]
