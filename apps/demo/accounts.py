"""Demo data for ``manage.py seed_demo``: the units of the four seed provinces and one account per role.

:func:`apps.demo.seed.seed_demo` runs these, then producers, products, scores and certificates. Every step is
idempotent: running the command twice leaves the same data.
"""

from dataclasses import dataclass

from django.db import transaction

from apps.accounts.enums import Role
from apps.accounts.models import User
from apps.geo.enums import Edition, Level
from apps.geo.models import AdministrativeUnit
from apps.geo.services import units_import_three_tier, units_import_two_tier

DEMO_PASSWORD = "ocop-demo-2026"

# Quảng Ninh and Kon Tum run the three-tier flow (qd148-2023); Huế and Cần Thơ the 2025 two-tier one.
SEED_PROVINCES_2024 = {"22", "62", "46", "92"}
SEED_PROVINCES_2025 = {"46", "51", "92"}  # 51: new Quảng Ngãi, which took over old Kon Tum (62)


@dataclass(frozen=True)
class DemoAccount:
    email: str
    full_name: str
    role: Role
    edition: str | None = None
    level: str | None = None
    code: str | None = None


DEMO_ACCOUNTS = [
    DemoAccount("admin@ocop.example", "Quản trị hệ thống", Role.SYSTEM_ADMIN),
    DemoAccount("trunguong@ocop.example", "Nguyễn Văn Trung", Role.CENTRAL_OFFICER),
    DemoAccount(
        "tinh.quangninh@ocop.example",
        "Trần Thị Hạ",
        Role.PROVINCE_OFFICER,
        Edition.THREE_TIER_2024,
        Level.PROVINCE,
        "22",
    ),
    DemoAccount(
        "tinh.kontum@ocop.example", "A Thuyên", Role.PROVINCE_OFFICER, Edition.THREE_TIER_2024, Level.PROVINCE, "62"
    ),
    DemoAccount(
        "tinh.quangngai@ocop.example",
        "Nguyễn Thị Ngãi",
        Role.PROVINCE_OFFICER,
        Edition.TWO_TIER_2025,
        Level.PROVINCE,
        "51",
    ),
    DemoAccount(
        "tinh.hue@ocop.example", "Lê Văn Hương", Role.PROVINCE_OFFICER, Edition.TWO_TIER_2025, Level.PROVINCE, "46"
    ),
    DemoAccount(
        "tinh.cantho@ocop.example", "Phạm Thị Cần", Role.PROVINCE_OFFICER, Edition.TWO_TIER_2025, Level.PROVINCE, "92"
    ),
    DemoAccount(
        "huyen.konray@ocop.example", "Y Blong", Role.DISTRICT_OFFICER, Edition.THREE_TIER_2024, Level.DISTRICT, "614"
    ),
    DemoAccount(
        "hoidong.konray@ocop.example",
        "Đinh Văn Hội",
        Role.COUNCIL_MEMBER,
        Edition.THREE_TIER_2024,
        Level.DISTRICT,
        "614",
    ),
    DemoAccount(
        "xa.dakkoi@ocop.example", "Hồ Thị Kôi", Role.COMMUNE_OFFICER, Edition.THREE_TIER_2024, Level.COMMUNE, "23482"
    ),
    DemoAccount(
        "xa.darve@ocop.example", "A Rve", Role.COMMUNE_OFFICER, Edition.THREE_TIER_2024, Level.COMMUNE, "23479"
    ),
    DemoAccount(
        "chuthe.dakkoi@ocop.example",
        "HTX Nông sản Đắk Kôi",
        Role.PRODUCER,
        Edition.THREE_TIER_2024,
        Level.COMMUNE,
        "23482",
    ),
]


def seed_units(*, full=True):
    """Import the official lists (the whole country, or only the seed provinces)."""
    units_import_three_tier(province_codes=None if full else SEED_PROVINCES_2024)
    units_import_two_tier(province_codes=None if full else SEED_PROVINCES_2025)


@transaction.atomic
def seed_accounts():
    accounts = []
    for spec in DEMO_ACCOUNTS:
        unit = None
        if spec.code:
            unit = AdministrativeUnit.objects.get(edition=spec.edition, level=spec.level, code=spec.code)
        user, _ = User.objects.update_or_create(
            email=spec.email,
            defaults={"full_name": spec.full_name, "role": spec.role, "unit": unit, "is_active": True},
        )
        user.is_staff = user.is_superuser = spec.role == Role.SYSTEM_ADMIN
        user.set_password(DEMO_PASSWORD)
        user.full_clean(exclude=["password"])
        user.save()
        accounts.append(user)
    return accounts


def unit_officer(*, role, unit):
    """An active officer of ``role`` at ``unit``, who makes the demo's moves there through the services.

    The demo account of that unit when there is one (xa.dakkoi, huyen.konray…); otherwise an officer created for
    the demo's history, without a password (nobody logs in as them; the services need a real officer to act).
    """
    user = User.objects.filter(role=role, unit=unit, is_active=True).order_by("pk").first()
    if user is not None:
        return user
    user, created = User.objects.get_or_create(
        email=f"canbo.{unit.level}.{unit.edition}-{unit.code}@ocop.example",
        defaults={"full_name": f"Cán bộ OCOP {unit.name}", "role": role, "unit": unit, "is_active": True},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user
