"""Fixtures shared by the whole suite: a small unit tree and one user per role in it."""

import pytest
from django.conf import settings
from django.core.cache import cache, caches
from django.utils import translation
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from apps.accounts.enums import Role
from apps.geo.enums import Edition
from apps.geo.models import AdministrativeUnit
from tests.factories import UserFactory, commune, district, province

# The S3 endpoint fixtures (``s3``, ``s3_endpoint``) for the object-storage tests.
pytest_plugins = ["tests.s3"]

PASSWORD = "mat-khau-thu-nghiem"

# Property tests (tests/security/test_properties.py, the schemathesis tests): few examples each, no deadline on this
# shared machine, the same inputs on every run (derandomised, no example database), fixtures reused across examples.
hypothesis_settings.register_profile(
    "ocop",
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
hypothesis_settings.load_profile("ocop")


def pytest_collection_modifyitems(items):
    """Tests of rows created by data migrations (beat schedules) run first: a transactional test's flush empties
    every table, and only some of that data is loaded again by post_migrate handlers. Then the tests marked
    ``slow`` (minutes each): under pytest-xdist they go out in the first batch, so they overlap the rest.

    Under xdist (``--dist load``) every worker sorts the same way and the first batch handed to each worker is a
    run of consecutive items from the front, so on each worker — with its own test database — the migration_data
    tests still run before any flush."""
    items.sort(
        key=lambda item: (item.get_closest_marker("migration_data") is None, item.get_closest_marker("slow") is None)
    )


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
    caches["local"].clear()
    caches["catalog"].clear()
    yield
    cache.clear()
    caches["local"].clear()
    caches["catalog"].clear()


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


@pytest.fixture
def reform():
    """Old Kon Tum (62) and old Quảng Ngãi (51) became new Quảng Ngãi (51); old Quảng Ninh (22) stayed itself."""
    kon_tum = province("62", name="Tỉnh Kon Tum")
    dak_koi = commune(kon_tum, "23482", name="Xã Đắk Kôi")
    quang_ninh = province("22", name="Tỉnh Quảng Ninh")
    ha_khanh = commune(quang_ninh, "06649", name="Phường Hà Khánh")
    new_quang_ngai = province("51", edition=Edition.TWO_TIER_2025, name="Quảng Ngãi")
    new_quang_ninh = province("22", edition=Edition.TWO_TIER_2025, name="Quảng Ninh")
    new_commune = commune(new_quang_ngai, "23500", name="Xã Đăk Kôi")
    AdministrativeUnit.objects.filter(pk=kon_tum.pk).update(successor=new_quang_ngai)
    AdministrativeUnit.objects.filter(pk=quang_ninh.pk).update(successor=new_quang_ninh)
    return type(
        "Reform",
        (),
        {
            "dak_koi": dak_koi,
            "ha_khanh": ha_khanh,
            "kon_tum": kon_tum,
            "quang_ngai": UserFactory(role=Role.PROVINCE_OFFICER, unit=new_quang_ngai),
            "quang_ninh": UserFactory(role=Role.PROVINCE_OFFICER, unit=new_quang_ninh),
            "new_commune": UserFactory(role=Role.COMMUNE_OFFICER, unit=new_commune),
            "old_kon_tum": UserFactory(role=Role.PROVINCE_OFFICER, unit=kon_tum),
            "new_quang_ngai": new_quang_ngai,
        },
    )
