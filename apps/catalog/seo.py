"""Search-engine data: schema.org JSON-LD for product pages and the sitemaps."""

import json

from django.contrib.sitemaps import Sitemap
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from apps.core.gs1 import build_digital_link, is_valid_gtin

from .models import CatalogEntry, Fair, PointOfSale

# What may never appear raw inside a <script> element.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def json_for_script(data):
    return mark_safe(json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_ESCAPES))  # noqa: S308


def product_json_ld(request, entry, photos, verify_url):
    """schema.org Product: name, images, brand (the producer), origin and the star rank as a rating."""
    product = entry.product
    url = request.build_absolute_uri(reverse("catalog:product_detail", args=[product.slug]))
    data = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": product.name,
        "url": url,
        "description": product.description or product.story[:300],
        "category": f"{entry.group.name} › {entry.product_set.name}",
        "brand": {"@type": "Organization", "name": entry.producer.name},
        "manufacturer": {
            "@type": "Organization",
            "name": entry.producer.name,
            "url": request.build_absolute_uri(reverse("catalog:producer_detail", args=[entry.producer.slug])),
        },
        "countryOfOrigin": "VN",
        "award": f"OCOP {entry.stars}★",
        "review": {
            "@type": "Review",
            "author": {"@type": "Organization", "name": "OCOP"},
            "reviewRating": {"@type": "Rating", "ratingValue": entry.stars, "bestRating": 5, "worstRating": 1},
        },
        "subjectOf": {
            "@type": "CreativeWork",
            "name": entry.certificate.serial,
            "url": request.build_absolute_uri(verify_url),
            "expires": entry.valid_until,
        },
    }
    if product.gtin and is_valid_gtin(product.gtin):
        data["gtin"] = product.gtin
        data["hasGS1DigitalLink"] = build_digital_link(request.build_absolute_uri("/"), product.gtin)
    images = [request.build_absolute_uri(p.image.url) for p in photos if p.image]
    if images:
        data["image"] = images
    return json_for_script(data)


class StaticPagesSitemap(Sitemap):
    i18n = True
    alternates = True
    changefreq = "daily"

    def items(self):
        return [
            "core:home",
            "catalog:product_list",
            "catalog:statistics",
            "catalog:point_of_sale_list",
            "catalog:fair_list",
        ]

    def location(self, item):
        return reverse(item)


class ProductSitemap(Sitemap):
    i18n = True
    alternates = True
    changefreq = "weekly"
    limit = 5000

    def items(self):
        return (
            CatalogEntry.objects.visible(timezone.localdate())
            .select_related("product")
            .only("product__slug", "updated_at")
            .order_by("pk")
        )

    def location(self, item):
        return reverse("catalog:product_detail", args=[item.product.slug])

    def lastmod(self, item):
        return item.updated_at


class ProducerSitemap(Sitemap):
    i18n = True
    alternates = True
    changefreq = "weekly"
    limit = 5000

    def items(self):
        visible = CatalogEntry.objects.visible(timezone.localdate())
        return list(visible.order_by("producer__slug").values_list("producer__slug", flat=True).distinct())

    def location(self, item):
        return reverse("catalog:producer_detail", args=[item])


class TradePromotionSitemap(Sitemap):
    i18n = True
    alternates = True
    changefreq = "weekly"

    def items(self):
        points = [
            ("catalog:point_of_sale_detail", p) for p in PointOfSale.objects.filter(is_active=True).order_by("pk")
        ]
        fairs = [("catalog:fair_detail", f) for f in Fair.objects.order_by("pk")]
        return points + fairs

    def location(self, item):
        url_name, obj = item
        return reverse(url_name, args=[obj.slug])

    def lastmod(self, item):
        return item[1].updated_at


SITEMAPS = {
    "pages": StaticPagesSitemap,
    "products": ProductSitemap,
    "producers": ProducerSitemap,
    "trade": TradePromotionSitemap,
}
