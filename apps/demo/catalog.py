"""Demo catalogue: photos of the certified products, points of sale and fairs in the demo provinces.

Runs last (INSTALLED_APPS order), once the demo certificates exist, so only certified products get a photo.
"""

import datetime

from django.db import transaction

from apps.catalog.enums import PointOfSaleKind
from apps.catalog.models import CatalogEntry, Fair, PointOfSale
from apps.catalog.services import catalog_rebuild
from apps.demo.photos import seed_demo_photos
from apps.demo.producers import _demo_admin
from apps.geo.enums import Edition, Level
from apps.geo.models import AdministrativeUnit
from apps.products.models import Product

# (edition, province code, slug, name, kind, address, opening hours, phone)
POINTS_OF_SALE = [
    (
        Edition.THREE_TIER_2024,
        "22",
        "trung-tam-ocop-quang-ninh",
        "Trung tâm giới thiệu và bán sản phẩm OCOP Quảng Ninh",
        PointOfSaleKind.SHOWROOM,
        "Số 1 đường Trần Quốc Nghiễn, phường Hồng Hải, thành phố Hạ Long",
        "8:00–21:00 hằng ngày",
        "0203 3800 100",
    ),
    (
        Edition.THREE_TIER_2024,
        "62",
        "diem-ban-ocop-kon-tum",
        "Điểm giới thiệu và bán sản phẩm OCOP tỉnh Kon Tum",
        PointOfSaleKind.POINT_OF_SALE,
        "Số 50 đường Lê Hồng Phong, thành phố Kon Tum",
        "7:30–20:00, thứ Hai đến Chủ nhật",
        "0260 3860 200",
    ),
    (
        Edition.TWO_TIER_2025,
        "46",
        "diem-gioi-thieu-ocop-hue",
        "Điểm giới thiệu sản phẩm OCOP Thành phố Huế",
        PointOfSaleKind.SHOWROOM,
        "Số 7 đường Hoàng Hoa Thám, phường Thuận Hóa",
        "8:00–20:00 hằng ngày",
        "",
    ),
    (
        Edition.TWO_TIER_2025,
        "92",
        "diem-ban-ocop-can-tho",
        "Điểm bán sản phẩm OCOP Cần Thơ",
        PointOfSaleKind.POINT_OF_SALE,
        "Khu Nhà Lồng chợ cổ, bến Ninh Kiều",
        "9:00–22:00 hằng ngày",
        "",
    ),
]

# (edition, province code, slug, name, starts, ends, venue, organiser)
FAIRS = [
    (
        Edition.THREE_TIER_2024,
        "22",
        "hoi-cho-ocop-quang-ninh-2026",
        "Hội chợ OCOP Quảng Ninh – Xuân 2027",
        datetime.date(2026, 12, 18),
        datetime.date(2026, 12, 22),
        "Cung Quy hoạch, Hội chợ và Triển lãm tỉnh, Hạ Long",
        "Sở Công Thương tỉnh Quảng Ninh",
    ),
    (
        Edition.THREE_TIER_2024,
        "62",
        "hoi-cho-ocop-tay-nguyen-2026",
        "Hội chợ sản phẩm OCOP khu vực Tây Nguyên 2026",
        datetime.date(2026, 4, 20),
        datetime.date(2026, 4, 24),
        "Quảng trường 16/3, thành phố Kon Tum",
        "UBND tỉnh Kon Tum",
    ),
    (
        Edition.TWO_TIER_2025,
        "92",
        "hoi-cho-ocop-dbscl-2027",
        "Hội chợ OCOP Đồng bằng sông Cửu Long 2027",
        datetime.date(2027, 3, 5),
        datetime.date(2027, 3, 9),
        "Công viên sông Hậu, Cần Thơ",
        "Sở Công Thương thành phố Cần Thơ",
    ),
]

PRODUCTS_PER_PLACE = 12


def _province(edition, code):
    return AdministrativeUnit.objects.filter(edition=edition, level=Level.PROVINCE, code=code).first()


def _products_in(province):
    entries = CatalogEntry.objects.filter(province=province).order_by("-stars", "sort_name")
    return list(entries.values_list("product_id", flat=True)[:PRODUCTS_PER_PLACE])


@transaction.atomic
def seed():
    catalog_rebuild()
    admin = _demo_admin()
    if admin is not None:
        seed_demo_photos(Product.objects.filter(catalog_entry__isnull=False), by=admin)
    for edition, code, slug, name, kind, address, hours, phone in POINTS_OF_SALE:
        province = _province(edition, code)
        if province is None:
            continue
        point, _ = PointOfSale.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "kind": kind,
                "unit": province,
                "address": address,
                "opening_hours": hours,
                "phone": phone,
                "is_active": True,
            },
        )
        point.products.set(_products_in(province))
    for edition, code, slug, name, starts, ends, venue, organiser in FAIRS:
        province = _province(edition, code)
        if province is None:
            continue
        fair, _ = Fair.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "unit": province,
                "starts_on": starts,
                "ends_on": ends,
                "venue": venue,
                "organiser": organiser,
            },
        )
        fair.products.set(_products_in(province))
