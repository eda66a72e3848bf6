from django.urls import path

from . import views

app_name = "cycles"

urlpatterns = [
    path("", views.cycle_list, name="cycle_list"),
    path("mo-chu-trinh/", views.cycle_create, name="cycle_create"),
    path("<int:pk>/gia-han/", views.step_extend, name="step_extend"),
    path("ho-so/", views.work_list, name="work_list"),
    path("ho-so/tong-hop/", views.overview, name="overview"),
    path("ho-so/dang-ky-y-tuong/", views.idea_create, name="idea_create"),
    path("ho-so/<int:pk>/", views.application_detail, name="application_detail"),
    path("ho-so/<int:pk>/chuyen-buoc/", views.application_transition, name="application_transition"),
    path("ho-so/<int:pk>/cho-nop-muon/", views.late_allow, name="late_allow"),
    path("ho-so/<int:pk>/phieu-dang-ky/", views.dossier_edit, name="dossier_edit"),
    path("ho-so/<int:pk>/minh-chung/", views.evidence_upload, name="evidence_upload"),
    path("minh-chung/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("minh-chung/<int:pk>/xoa/", views.evidence_remove, name="evidence_remove"),
    path("ke-hoach/", views.plan_list, name="plan_list"),
    path("ke-hoach/<int:year>/", views.plan_edit, name="plan_edit"),
]
