"""Reads of administrative units."""

from typing import TYPE_CHECKING, Any

from django.db.models import Count, QuerySet

from apps.core.policy import scope

from .enums import Edition
from .models import AdministrativeUnit, SuccessorCandidate

if TYPE_CHECKING:
    from apps.accounts.models import User


def units_visible_to(user: "User") -> QuerySet[AdministrativeUnit]:
    return scope(AdministrativeUnit.objects.all(), user, unit_field=None)


def unit_children_with_counts(unit: AdministrativeUnit) -> QuerySet[AdministrativeUnit]:
    return unit.children.annotate(n_children=Count("children")).order_by("code")


def unit_history(unit: AdministrativeUnit) -> dict[str, list[Any]]:
    """What the 2025 reform did to ``unit``: the 2025 unit(s) an old one became part of, or the old units a new
    one was formed from (whole, or a part of a split commune). Three queries at most."""

    history: dict[str, list[Any]] = {"became": [], "formed_from": [], "parts_of": []}
    if unit.edition == Edition.THREE_TIER_2024:
        if unit.split_on_reform:
            history["became"] = [
                (c.candidate, c.is_default)
                for c in SuccessorCandidate.objects.filter(unit=unit).select_related("candidate")
            ]
        elif unit.successor_id:
            history["became"] = [(AdministrativeUnit.objects.get(pk=unit.successor_id), True)]
    else:
        history["formed_from"] = list(
            unit.predecessors.filter(split_on_reform=False).select_related("parent").order_by("name", "path")
        )
        history["parts_of"] = list(
            AdministrativeUnit.objects.filter(candidates__candidate=unit).select_related("parent").order_by("name")
        )
    return history
