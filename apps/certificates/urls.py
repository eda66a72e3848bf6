from django.urls import path

from . import views

app_name = "certificates"

urlpatterns = [
    path("", views.certificate_list, name="list"),
    path("<int:pk>/", views.certificate_detail, name="detail"),
    path("<int:pk>/thu-hoi/", views.certificate_revoke_view, name="revoke"),
    path("<int:pk>/tao-lai/", views.certificate_retry_view, name="retry"),
    path("<int:pk>/tai-ve/", views.certificate_download, name="download"),
    path("quyet-dinh/<int:pk>/tai-ve/", views.decision_document_download, name="decision_download"),
    path("quyet-dinh/<int:pk>/tao-lai/", views.decision_document_retry_view, name="decision_retry"),
]
