"""Read-only endpoints. Listing rules are the catalogue's: only products with a currently valid certificate."""

import hashlib

import django_filters
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.text import ascii_int
from apps.geo.enums import Edition, Level
from apps.geo.models import AdministrativeUnit
from apps.producers.enums import ProducerKind
from apps.producers.models import Producer
from apps.products.models import ProductPhoto

from ..cache import catalog_last_modified, catalog_version
from ..enums import PointOfSaleKind
from ..filters import CatalogFilter
from ..models import Fair, PointOfSale
from ..selectors import (
    attach_places,
    attach_provinces,
    catalog_map_features,
    catalog_statistics,
    listed_entries,
    public_fairs,
    public_points_of_sale,
    public_producers,
    visible_entries,
)
from .serializers import (
    FairDetailSerializer,
    FairSerializer,
    PointOfSaleDetailSerializer,
    PointOfSaleSerializer,
    ProducerSerializer,
    ProductDetailSerializer,
    ProductSerializer,
    StatisticsSerializer,
    UnitSerializer,
)

NOT_FOUND = OpenApiResponse(description="Not found (or not certified today).")
BAD_REQUEST = OpenApiResponse(description="Invalid filter value.")
TOO_MANY = OpenApiResponse(description="Rate limit reached; retry after the Retry-After seconds.")
NOT_MODIFIED = OpenApiResponse(description="Not modified since the ETag / Last-Modified the client holds.")
LIST_ERRORS = {304: NOT_MODIFIED, 400: BAD_REQUEST, 404: NOT_FOUND, 429: TOO_MANY}
DETAIL_ERRORS = {304: NOT_MODIFIED, 404: NOT_FOUND, 429: TOO_MANY}


class ConditionalGetMixin:
    """ETag and Last-Modified follow the catalogue's version: a conditional GET gets 304 without a query."""

    def not_modified(self, request):
        today = timezone.localdate()
        last_modified = catalog_last_modified(today)
        raw = f"{catalog_version():.3f}|{today.isoformat()}|{request.get_full_path()}"
        self.etag = '"' + hashlib.sha256(raw.encode()).hexdigest()[:32] + '"'
        self.last_modified = int(last_modified.timestamp())
        return get_conditional_response(request, etag=self.etag, last_modified=self.last_modified)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if getattr(self, "etag", None) and response.status_code in (200, 304):
            response["ETag"] = self.etag
            response["Last-Modified"] = http_date(self.last_modified)
        return response


def product_queryset():
    # Units are attached afterwards (see attach_places): fewer joins, far less planning time at national scale.
    photos = Prefetch("product__photos", queryset=ProductPhoto.objects.order_by("order", "pk"), to_attr="photo_list")
    return (
        visible_entries()
        .select_related("product", "producer", "group", "product_set", "certificate")
        .prefetch_related(photos)
    )


class ProductList(ConditionalGetMixin, generics.ListAPIView):
    """Certified products (3★ and above, certificate valid today), filtered like the public catalogue."""

    serializer_class = ProductSerializer
    filterset_class = CatalogFilter

    def get_queryset(self):
        return product_queryset()

    def paginate_queryset(self, queryset):
        return attach_places(super().paginate_queryset(queryset))

    @extend_schema(responses={200: ProductSerializer(many=True), **LIST_ERRORS})
    def get(self, request, *args, **kwargs):
        return self.not_modified(request) or self.list(request, *args, **kwargs)


class ProductDetail(ConditionalGetMixin, generics.RetrieveAPIView):
    serializer_class = ProductDetailSerializer
    lookup_field = "product__slug"
    lookup_url_kwarg = "slug"

    def get_queryset(self):
        return product_queryset()

    def get_object(self):
        return attach_places([super().get_object()])[0]

    @extend_schema(responses={200: ProductDetailSerializer, **DETAIL_ERRORS})
    def get(self, request, *args, **kwargs):
        return self.not_modified(request) or self.retrieve(request, *args, **kwargs)


class ProducerFilter(django_filters.FilterSet):
    province = django_filters.NumberFilter(method="filter_province", label="Province (unit id)")
    kind = django_filters.ChoiceFilter(choices=ProducerKind.choices)

    class Meta:
        model = Producer
        fields = []

    def filter_province(self, queryset, name, value):
        entries = visible_entries().filter(Q(province_id=value) | Q(current_province_id=value))
        return queryset.filter(pk__in=entries.values("producer_id"))


class ProducerList(ConditionalGetMixin, generics.ListAPIView):
    """Producers with at least one certified product: public fields only (no tax code, no people)."""

    serializer_class = ProducerSerializer
    filterset_class = ProducerFilter

    def get_queryset(self):
        return public_producers()

    @extend_schema(responses={200: ProducerSerializer(many=True), **LIST_ERRORS})
    def get(self, request, *args, **kwargs):
        return self.not_modified(request) or self.list(request, *args, **kwargs)


class ProducerDetail(ConditionalGetMixin, generics.RetrieveAPIView):
    serializer_class = ProducerSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return public_producers()

    @extend_schema(responses={200: ProducerSerializer, **DETAIL_ERRORS})
    def get(self, request, *args, **kwargs):
        return self.not_modified(request) or self.retrieve(request, *args, **kwargs)


class UnitFilter(django_filters.FilterSet):
    edition = django_filters.ChoiceFilter(choices=Edition.choices)
    level = django_filters.ChoiceFilter(choices=Level.choices)
    parent = django_filters.NumberFilter(field_name="parent_id")
    code = django_filters.CharFilter(max_length=5)

    class Meta:
        model = AdministrativeUnit
        fields = []


class UnitList(generics.ListAPIView):
    """Administrative units of both editions (2024 three-tier, 2025 two-tier): a unit is edition + level + code."""

    serializer_class = UnitSerializer
    filterset_class = UnitFilter
    queryset = AdministrativeUnit.objects.order_by("path")

    @extend_schema(responses={200: UnitSerializer(many=True), 400: BAD_REQUEST, 404: NOT_FOUND, 429: TOO_MANY})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class UnitDetail(generics.RetrieveAPIView):
    serializer_class = UnitSerializer
    queryset = AdministrativeUnit.objects.all()

    @extend_schema(responses={200: UnitSerializer, 404: NOT_FOUND, 429: TOO_MANY})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class Statistics(ConditionalGetMixin, APIView):
    """Certified products today: totals, by stars, by group and by province."""

    @extend_schema(responses={200: StatisticsSerializer, 304: NOT_MODIFIED, 429: TOO_MANY})
    def get(self, request):
        not_modified = self.not_modified(request)
        if not_modified:
            return not_modified
        stats = catalog_statistics()
        data = {
            "totals": stats["totals"],
            "by_stars": [{"stars": int(o.value), "count": o.count} for o in stats["stars"]],
            "by_group": [{"code": o.value, "name": o.label, "count": o.count} for o in stats["group"]],
            "by_province": [{"id": int(o.value), "name": o.label, "count": o.count} for o in stats["province"]],
            "by_old_province": [{"id": int(o.value), "name": o.label, "count": o.count} for o in stats["old_province"]],
        }
        return Response(StatisticsSerializer(data).data)


class PlaceFilterSet(django_filters.FilterSet):
    """``province``: points of sale or fairs in that unit's subtree (a province id, or any unit id)."""

    # Whole numbers of at most 18 digits: anything else is a 400, never a database error.
    province = django_filters.NumberFilter(
        method="filter_province", label="Province (unit id)", max_digits=18, decimal_places=0
    )

    def filter_province(self, queryset, name, value):
        unit = AdministrativeUnit.objects.filter(pk=int(value)).only("path").first()
        if unit is None:
            return queryset.none()
        return queryset.filter(unit__path__startswith=unit.path)


class PointOfSaleFilter(PlaceFilterSet):
    kind = django_filters.ChoiceFilter(choices=PointOfSaleKind.choices)

    class Meta:
        model = PointOfSale
        fields = []


class FairFilter(PlaceFilterSet):
    upcoming = django_filters.BooleanFilter(
        method="filter_upcoming", label="true: not yet over (ends today or later); false: over"
    )
    date_from = django_filters.DateFilter(field_name="ends_on", lookup_expr="gte", label="Still running on or after")
    date_to = django_filters.DateFilter(field_name="starts_on", lookup_expr="lte", label="Started on or before")

    class Meta:
        model = Fair
        fields = []

    def filter_upcoming(self, queryset, name, value):
        today = timezone.localdate()
        if value:
            return queryset.filter(ends_on__gte=today).order_by("starts_on", "name", "pk")
        return queryset.filter(ends_on__lt=today)


class TradeListMixin(ConditionalGetMixin):
    def paginate_queryset(self, queryset):
        return attach_provinces(super().paginate_queryset(queryset))

    def get(self, request, *args, **kwargs):
        return self.not_modified(request) or self.list(request, *args, **kwargs)


class TradeDetailMixin(ConditionalGetMixin):
    lookup_field = "slug"

    def get_object(self):
        obj = attach_provinces([super().get_object()])[0]
        obj.listed_entries = list(listed_entries(obj))
        return obj

    def get(self, request, *args, **kwargs):
        return self.not_modified(request) or self.retrieve(request, *args, **kwargs)


class PointOfSaleList(TradeListMixin, generics.ListAPIView):
    """Open OCOP showrooms and points of sale, with how many certified products each carries today."""

    serializer_class = PointOfSaleSerializer
    filterset_class = PointOfSaleFilter

    def get_queryset(self):
        return public_points_of_sale()

    @extend_schema(responses={200: PointOfSaleSerializer(many=True), **LIST_ERRORS})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class PointOfSaleDetail(TradeDetailMixin, generics.RetrieveAPIView):
    """An open point of sale and the products it carries that are certified today."""

    serializer_class = PointOfSaleDetailSerializer

    def get_queryset(self):
        return public_points_of_sale()

    @extend_schema(responses={200: PointOfSaleDetailSerializer, **DETAIL_ERRORS})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class FairList(TradeListMixin, generics.ListAPIView):
    """Trade fairs, newest first (upcoming ones soonest first), with how many certified products each shows."""

    serializer_class = FairSerializer
    filterset_class = FairFilter

    def get_queryset(self):
        return public_fairs()

    @extend_schema(responses={200: FairSerializer(many=True), **LIST_ERRORS})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class FairDetail(TradeDetailMixin, generics.RetrieveAPIView):
    """A fair and the products shown there that are certified today."""

    serializer_class = FairDetailSerializer

    def get_queryset(self):
        return public_fairs()

    @extend_schema(responses={200: FairDetailSerializer, **DETAIL_ERRORS})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class MapFeatures(ConditionalGetMixin, APIView):
    """GeoJSON: certified products per 2025 province, or per commune of a 2025 province (``?province=<id>``);
    products registered before the reform count where their place is now. Points are representative points."""

    @extend_schema(
        parameters=[OpenApiParameter("province", int, required=False, description="a 2025 province's unit id")],
        responses={200: OpenApiTypes.OBJECT, 304: NOT_MODIFIED, 400: BAD_REQUEST, 429: TOO_MANY},
    )
    def get(self, request):
        not_modified = self.not_modified(request)
        if not_modified:
            return not_modified
        raw = request.query_params.get("province", "")
        province = None
        if raw:
            province = AdministrativeUnit.objects.filter(
                pk=ascii_int(raw), edition=Edition.TWO_TIER_2025, level=Level.PROVINCE
            ).first()
            if province is None:
                return Response({"province": ["Not a province of the 2025 list."]}, status=400)
        features = catalog_map_features(province=province)
        return Response({"type": "FeatureCollection", "features": features})
