from django.urls import path

from . import views

app_name = "products"

urlpatterns = [
    path("", views.product_list_view, name="product_list"),
    path("them/", views.product_create_view, name="product_create"),
    path("<int:pk>/", views.product_detail_view, name="product_detail"),
    path("<int:pk>/sua/", views.product_update_view, name="product_update"),
    path("<int:pk>/anh/them/", views.photo_upload_view, name="photo_upload"),
    path("anh/<int:pk>/", views.photo_file_view, name="photo_file"),
    path("anh/<int:pk>/nho/", views.photo_thumbnail_view, name="photo_thumbnail"),
    path("anh/<int:pk>/xoa/", views.photo_remove_view, name="photo_remove"),
    path("anh/<int:pk>/anh-dai-dien/", views.photo_set_cover_view, name="photo_set_cover"),
]
