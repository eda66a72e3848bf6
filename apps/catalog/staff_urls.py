"""Staff URLs of trade promotion, mounted under /quan-ly/xuc-tien-thuong-mai/ (namespace ``trade``)."""

from django.urls import path
from django.views.generic import RedirectView

from . import staff_views as views

app_name = "trade"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="trade:point_of_sale_list"), name="index"),
    path("diem-ban/", views.point_of_sale_list, name="point_of_sale_list"),
    path("diem-ban/them/", views.point_of_sale_create, name="point_of_sale_create"),
    path("diem-ban/<int:pk>/", views.point_of_sale_detail, name="point_of_sale_detail"),
    path("diem-ban/<int:pk>/sua/", views.point_of_sale_update, name="point_of_sale_update"),
    path("diem-ban/<int:pk>/san-pham/them/", views.point_of_sale_product_link, name="point_of_sale_product_link"),
    path("diem-ban/<int:pk>/san-pham/bo/", views.point_of_sale_product_unlink, name="point_of_sale_product_unlink"),
    path("hoi-cho/", views.fair_list, name="fair_list"),
    path("hoi-cho/them/", views.fair_create, name="fair_create"),
    path("hoi-cho/<int:pk>/", views.fair_detail, name="fair_detail"),
    path("hoi-cho/<int:pk>/sua/", views.fair_update, name="fair_update"),
    path("hoi-cho/<int:pk>/san-pham/them/", views.fair_product_link, name="fair_product_link"),
    path("hoi-cho/<int:pk>/san-pham/bo/", views.fair_product_unlink, name="fair_product_unlink"),
]
