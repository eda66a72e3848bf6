"""A small certified catalogue over the shared unit tree."""

import datetime

import pytest
from django.utils import timezone

from tests.factories.catalog import certified_product, make_producer, make_product


@pytest.fixture
def catalog(tree):
    """Four certified products in two provinces, plus one uncertified product that must never show."""
    today = timezone.localdate()
    last_year = today.replace(year=today.year - 1) - datetime.timedelta(days=10)
    fish_producer = make_producer(commune=tree.x, name="Hợp tác xã Nước mắm Hạ Long")
    fish = certified_product(
        commune=tree.x,
        name="Nước mắm Phú Quốc truyền thống",
        producer=fish_producer,
        stars=4,
        set_code="TP09",
        story="Cá cơm ủ chượp mười hai tháng.",
    )
    squid = certified_product(commune=tree.y, name="Chả mực Hạ Long", stars=5, set_code="TP08", date=last_year)
    wine = certified_product(commune=tree.z, name="Rượu cần Đắk Kôi", stars=3, set_code="DU01")
    brocade = certified_product(commune=tree.z, name="Thổ cẩm Kon Rẫy", stars=3, set_code="TC02", date=last_year)
    draft = make_product(commune=tree.x, name="Nước mắm nháp chưa chứng nhận", producer=fish_producer)
    return type(
        "Catalog",
        (),
        {"fish": fish, "squid": squid, "wine": wine, "brocade": brocade, "draft": draft, "last_year": last_year},
    )
