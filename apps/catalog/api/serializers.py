"""Public fields only: nothing here comes from a dossier, a score or a person."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.geo.models import AdministrativeUnit
from apps.producers.models import Producer

from ..enums import PointOfSaleKind
from ..models import CatalogEntry, Fair, PointOfSale


class UnitRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = AdministrativeUnit
        fields = ["id", "edition", "code", "name"]


class UnitSerializer(serializers.ModelSerializer):
    parent = serializers.IntegerField(source="parent_id", allow_null=True, read_only=True)
    # A pre-2025 province or commune: the 2025 unit it became part of (for a split commune, the default one).
    successor = serializers.IntegerField(source="successor_id", allow_null=True, read_only=True)

    class Meta:
        model = AdministrativeUnit
        fields = [
            "id",
            "edition",
            "level",
            "code",
            "name",
            "division_type",
            "parent",
            "path",
            "successor",
            "split_on_reform",
            "latitude",
            "longitude",
        ]


class CodeNameSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class ProducerRefSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class CertificateRefSerializer(serializers.Serializer):
    serial = serializers.CharField()
    stars = serializers.IntegerField()
    valid_from = serializers.DateField()
    valid_until = serializers.DateField()
    verification_url = serializers.SerializerMethodField()

    @extend_schema_field(serializers.URLField())
    def get_verification_url(self, certificate):
        return self.context["request"].build_absolute_uri(certificate.verification_path)


class ProductSerializer(serializers.ModelSerializer):
    slug = serializers.CharField(source="product.slug")
    url = serializers.SerializerMethodField()
    group = CodeNameSerializer()
    product_set = CodeNameSerializer()
    producer = ProducerRefSerializer()
    province = UnitRefSerializer()
    district = UnitRefSerializer(allow_null=True)
    commune = UnitRefSerializer()
    # The 2025 map (the same units as ``province``/``commune`` for a product registered since the reform).
    current_province = UnitRefSerializer(allow_null=True)
    current_commune = UnitRefSerializer(allow_null=True)
    certificate = CertificateRefSerializer()

    class Meta:
        model = CatalogEntry
        fields = [
            "slug",
            "name",
            "url",
            "stars",
            "group",
            "product_set",
            "producer",
            "province",
            "district",
            "commune",
            "current_province",
            "current_commune",
            "recognised_on",
            "recognised_year",
            "valid_until",
            "certificate",
        ]

    @extend_schema_field(serializers.URLField())
    def get_url(self, entry):
        return self.context["request"].build_absolute_uri(reverse("catalog:product_detail", args=[entry.product.slug]))


class ProductDetailSerializer(ProductSerializer):
    description = serializers.CharField(source="product.description")
    story = serializers.CharField(source="product.story")
    photos = serializers.SerializerMethodField()

    class Meta(ProductSerializer.Meta):
        fields = [*ProductSerializer.Meta.fields, "description", "story", "photos"]

    @extend_schema_field(serializers.ListField(child=serializers.URLField()))
    def get_photos(self, entry):
        request = self.context["request"]
        return [request.build_absolute_uri(p.image.url) for p in entry.product.photo_list if p.image]


class ProducerSerializer(serializers.ModelSerializer):
    commune = UnitRefSerializer()
    certified_products = serializers.IntegerField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Producer
        fields = ["slug", "name", "kind", "address", "commune", "certified_products", "url"]

    @extend_schema_field(serializers.URLField())
    def get_url(self, producer):
        return self.context["request"].build_absolute_uri(reverse("catalog:producer_detail", args=[producer.slug]))


class CountByStarsSerializer(serializers.Serializer):
    stars = serializers.IntegerField()
    count = serializers.IntegerField()


class CountByCodeSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    count = serializers.IntegerField()


class CountByUnitSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    count = serializers.IntegerField()


class TotalsSerializer(serializers.Serializer):
    products = serializers.IntegerField()
    producers = serializers.IntegerField()
    provinces = serializers.IntegerField()


class StatisticsSerializer(serializers.Serializer):
    totals = TotalsSerializer()
    by_stars = CountByStarsSerializer(many=True)
    by_group = CountByCodeSerializer(many=True)
    by_province = CountByUnitSerializer(many=True)  # the 34 provinces since 1 July 2025 (old records included)
    by_old_province = CountByUnitSerializer(many=True)  # the 63 provinces before, for comparison with old reports


class ProductRefSerializer(serializers.ModelSerializer):
    slug = serializers.CharField(source="product.slug")
    url = serializers.SerializerMethodField()

    class Meta:
        model = CatalogEntry
        fields = ["slug", "name", "stars", "url"]

    @extend_schema_field(serializers.URLField())
    def get_url(self, entry):
        return self.context["request"].build_absolute_uri(reverse("catalog:product_detail", args=[entry.product.slug]))


class PointOfSaleKindField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=PointOfSaleKind.choices, **kwargs)


# Producers have a "kind" of their own. drf-spectacular names an enum used by one component after it
# ("PointOfSaleKindEnum"); the detail refers to that component instead of repeating the enum (which would make the
# name ambiguous).
@extend_schema_field({"$ref": "#/components/schemas/PointOfSaleKindEnum"})
class PointOfSaleKindRefField(PointOfSaleKindField):
    pass


class TradePlaceSerializer(serializers.ModelSerializer):
    """What a point of sale and a fair share: where they are, how many certified products, their public page.

    A subclass names its own fields, then ``PLACE_FIELDS``, and the public page's URL name in ``page_url_name``.
    """

    PLACE_FIELDS = ["unit", "province", "product_count", "url"]
    page_url_name = None

    unit = UnitRefSerializer()
    province = UnitRefSerializer(allow_null=True)
    product_count = serializers.IntegerField(source="n_products")
    url = serializers.SerializerMethodField()

    @extend_schema_field(serializers.URLField())
    def get_url(self, obj):
        return self.context["request"].build_absolute_uri(reverse(self.page_url_name, args=[obj.slug]))


class PointOfSaleSerializer(TradePlaceSerializer):
    page_url_name = "catalog:point_of_sale_detail"
    kind = PointOfSaleKindField()

    class Meta:
        model = PointOfSale
        fields = [
            "slug",
            "name",
            "kind",
            "address",
            "opening_hours",
            "phone",
            "website",
            *TradePlaceSerializer.PLACE_FIELDS,
        ]


class PointOfSaleDetailSerializer(PointOfSaleSerializer):
    kind = PointOfSaleKindRefField()
    products = ProductRefSerializer(source="listed_entries", many=True)

    class Meta(PointOfSaleSerializer.Meta):
        fields = [*PointOfSaleSerializer.Meta.fields, "products"]


class FairSerializer(TradePlaceSerializer):
    page_url_name = "catalog:fair_detail"

    class Meta:
        model = Fair
        fields = [
            "slug",
            "name",
            "starts_on",
            "ends_on",
            "venue",
            "address",
            "organiser",
            "website",
            *TradePlaceSerializer.PLACE_FIELDS,
        ]


class FairDetailSerializer(FairSerializer):
    products = ProductRefSerializer(source="listed_entries", many=True)

    class Meta(FairSerializer.Meta):
        fields = [*FairSerializer.Meta.fields, "products"]
