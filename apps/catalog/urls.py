"""Public URLs (inside i18n_patterns: Vietnamese without prefix, English under /en/)."""

from django.urls import path

from . import views

app_name = "catalog"

urlpatterns = [
    path("san-pham/", views.product_list, name="product_list"),
    path("san-pham/<slug:slug>/", views.product_detail, name="product_detail"),
    path("chu-the/<slug:slug>/", views.producer_detail, name="producer_detail"),
    path("thong-ke/", views.statistics, name="statistics"),
    path("diem-ban/", views.point_of_sale_list, name="point_of_sale_list"),
    path("diem-ban/<slug:slug>/", views.point_of_sale_detail, name="point_of_sale_detail"),
    path("hoi-cho/", views.fair_list, name="fair_list"),
    path("hoi-cho/<slug:slug>/", views.fair_detail, name="fair_detail"),
]
