from django.urls import path

from . import views

app_name = "evaluation"

urlpatterns = [
    path("", views.round_list, name="round_list"),
    path("dot-moi/", views.round_create, name="round_create"),
    path("<int:pk>/", views.round_detail, name="round_detail"),
    path("<int:pk>/thanh-vien/", views.member_add, name="member_add"),
    path("<int:pk>/san-pham/", views.entry_add, name="entry_add"),
    path("<int:pk>/dong/", views.round_close, name="round_close"),
    path("<int:pk>/bien-ban.pdf", views.minutes_download, name="minutes_download"),
    path("<int:pk>/quyet-dinh/", views.decision_create, name="decision_create"),
    path("<int:pk>/san-pham/<int:entry_pk>/phieu/", views.sheet_edit, name="sheet_edit"),
    path("<int:pk>/san-pham/<int:entry_pk>/phieu/<int:sheet_pk>/", views.sheet_detail, name="sheet_detail"),
    path("<int:pk>/san-pham/<int:entry_pk>/phieu/<int:sheet_pk>/mo-lai/", views.sheet_reopen, name="sheet_reopen"),
    path("<int:pk>/san-pham/<int:entry_pk>/ket-qua/", views.entry_result, name="entry_result"),
    path("<int:pk>/san-pham/<int:entry_pk>/rut/", views.entry_remove, name="entry_remove"),
    path("<int:pk>/san-pham/<int:entry_pk>/xung-dot/", views.conflict_declare, name="conflict_declare"),
    path("<int:pk>/san-pham/<int:entry_pk>/so-kiem/", views.precheck, name="precheck"),
    # The applicant's self-assessment on the councils' sheet, reached from the application's page (pk: application)
    path("ho-so/<int:pk>/tu-danh-gia/", views.self_assessment_edit, name="self_assessment_edit"),
]
