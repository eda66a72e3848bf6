from django.urls import path

from . import views

app_name = "producers"

urlpatterns = [
    path("", views.producer_list_view, name="producer_list"),
    path("them/", views.producer_create_view, name="producer_create"),
    path("<int:pk>/", views.producer_detail_view, name="producer_detail"),
    path("<int:pk>/sua/", views.producer_update_view, name="producer_update"),
    path("<int:pk>/chuyen-don-vi/", views.producer_rehome_view, name="producer_rehome"),
    path("chuyen-hang-loat/", views.bulk_rehoming_view, name="bulk_rehoming"),
    path("chuyen-hang-loat/<int:pk>/", views.bulk_rehoming_detail_view, name="bulk_rehoming_detail"),
    path("<int:pk>/tai-lieu/them/", views.document_upload_view, name="document_upload"),
    path("tai-lieu/<int:pk>/tai-ve/", views.document_download_view, name="document_download"),
    path("tai-lieu/<int:pk>/thay-the/", views.document_replace_view, name="document_replace"),
    path("tai-lieu/<int:pk>/xoa/", views.document_remove_view, name="document_remove"),
]
