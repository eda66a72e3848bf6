"""Factories shared by the whole suite."""

import factory

from apps.accounts.enums import Role
from apps.accounts.models import User
from apps.geo.enums import DivisionType, Edition, Level
from apps.geo.models import AdministrativeUnit

_LEVEL_TYPES = {Level.PROVINCE: DivisionType.TINH, Level.DISTRICT: DivisionType.HUYEN, Level.COMMUNE: DivisionType.XA}


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdministrativeUnit
        django_get_or_create = ("edition", "level", "code")

    edition = Edition.THREE_TIER_2024
    level = Level.PROVINCE
    parent = None
    code = factory.Sequence(lambda n: f"{n % 100:02d}")
    name = factory.LazyAttribute(lambda o: f"{_LEVEL_TYPES[o.level].label} Thử {o.code}")
    division_type = factory.LazyAttribute(lambda o: _LEVEL_TYPES[o.level])
    path = factory.LazyAttribute(lambda o: (o.parent.path if o.parent else f"{o.edition}/") + f"{o.code}/")


def province(code, edition=Edition.THREE_TIER_2024, **kw):
    return UnitFactory(edition=edition, level=Level.PROVINCE, code=code, **kw)


def district(parent, code, **kw):
    return UnitFactory(edition=parent.edition, level=Level.DISTRICT, code=code, parent=parent, **kw)


def commune(parent, code, **kw):
    return UnitFactory(edition=parent.edition, level=Level.COMMUNE, code=code, parent=parent, **kw)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@ocop.example")
    full_name = factory.Sequence(lambda n: f"Người dùng {n}")
    role = Role.COMMUNE_OFFICER
    unit = None
    password = factory.PostGenerationMethodCall("set_password", "mat-khau-thu-nghiem")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()
