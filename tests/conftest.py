"""Fixtures shared by the whole suite: a small unit tree and one user per role in it."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from apps.accounts.enums import Role
from tests.factories import UserFactory, commune, district, province

PASSWORD = "mat-khau-thu-nghiem"


@pytest.fixture(autouse=True)
def _vietnamese():
    # A request under /en/ leaves English active in the thread; reverse() in the next test would follow it.
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _clear_cache():
    # Rate limits and cached counts live in Redis: each test starts clean.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def tree(db):
    """Province 22 (district 193 with communes X, Y) and province 62 with commune Z."""
    p = province("22", name="Tỉnh Quảng Ninh")
    d = district(p, "193", name="Thành phố Hạ Long")
    x = commune(d, "06649", name="Phường Hà Khánh")
    y = commune(d, "06652", name="Phường Hà Phong")
    q = province("62", name="Tỉnh Kon Tum")
    dq = district(q, "614", name="Huyện Kon Rẫy")
    z = commune(dq, "23482", name="Xã Đắk Kôi")
    return type("Tree", (), {"p": p, "d": d, "x": x, "y": y, "q": q, "dq": dq, "z": z})


@pytest.fixture
def users(tree):
    make = UserFactory
    return type(
        "Users",
        (),
        {
            "commune_x": make(role=Role.COMMUNE_OFFICER, unit=tree.x, email="xa.x@ocop.example"),
            "commune_y": make(role=Role.COMMUNE_OFFICER, unit=tree.y, email="xa.y@ocop.example"),
            "district": make(role=Role.DISTRICT_OFFICER, unit=tree.d, email="huyen@ocop.example"),
            "province": make(role=Role.PROVINCE_OFFICER, unit=tree.p, email="tinh@ocop.example"),
            "province_q": make(role=Role.PROVINCE_OFFICER, unit=tree.q, email="tinh.q@ocop.example"),
            "central": make(role=Role.CENTRAL_OFFICER, unit=None, email="tw@ocop.example"),
            "admin": make(
                role=Role.SYSTEM_ADMIN, unit=None, email="admin@ocop.example", is_staff=True, is_superuser=True
            ),
            "producer": make(role=Role.PRODUCER, unit=tree.x, email="chuthe@ocop.example"),
        },
    )
