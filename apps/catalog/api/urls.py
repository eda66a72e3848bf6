"""/api/v1/: versioned in the path, outside the language prefixes."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from . import views

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("products/", views.ProductList.as_view(), name="product_list"),
    path("products/<slug:slug>/", views.ProductDetail.as_view(), name="product_detail"),
    path("producers/", views.ProducerList.as_view(), name="producer_list"),
    path("producers/<slug:slug>/", views.ProducerDetail.as_view(), name="producer_detail"),
    path("units/", views.UnitList.as_view(), name="unit_list"),
    path("units/<int:pk>/", views.UnitDetail.as_view(), name="unit_detail"),
    path("points-of-sale/", views.PointOfSaleList.as_view(), name="point_of_sale_list"),
    path("points-of-sale/<slug:slug>/", views.PointOfSaleDetail.as_view(), name="point_of_sale_detail"),
    path("fairs/", views.FairList.as_view(), name="fair_list"),
    path("fairs/<slug:slug>/", views.FairDetail.as_view(), name="fair_detail"),
    path("statistics/", views.Statistics.as_view(), name="statistics"),
    path("map/", views.MapFeatures.as_view(), name="map"),
]
