"""A small certified catalogue over the shared unit tree."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from tests.factories.catalog import certified_product, make_fair, make_point_of_sale, make_producer, make_product


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


@pytest.fixture
def trade(tree, catalog):
    """Trade promotion over the catalogue: a showroom and a fair in province 22, a point of sale in province 62."""
    today = timezone.localdate()
    showroom = make_point_of_sale(
        unit=tree.x, products=[catalog.fish, catalog.draft], name="Trung tâm OCOP Hạ Long", opening_hours="8:00–21:00"
    )
    kon_tum = make_point_of_sale(unit=tree.z, products=[catalog.wine], name="Điểm bán OCOP Kon Tum")
    fair = make_fair(
        unit=tree.p,
        products=[catalog.fish, catalog.wine, catalog.draft],
        name="Hội chợ OCOP Quảng Ninh",
        starts_on=today + datetime.timedelta(days=10),
        days=4,
    )
    past_fair = make_fair(
        unit=tree.q, products=[catalog.brocade], name="Hội chợ OCOP Kon Tum cũ", starts_on=datetime.date(2024, 5, 1)
    )
    return type("Trade", (), {"showroom": showroom, "kon_tum": kon_tum, "fair": fair, "past_fair": past_fair})


@pytest.fixture
def staff_client(users):
    """A logged-in client per user, apart from the anonymous ``client``."""

    def login(user):
        logged_in = Client()
        logged_in.force_login(user)
        return logged_in

    return login
