"""Reads of administrative units."""

from django.db.models import Count

from apps.core.policy import scope

from .models import AdministrativeUnit


def units_visible_to(user):
    return scope(AdministrativeUnit.objects.all(), user, unit_field=None)


def unit_children_with_counts(unit):
    return unit.children.annotate(n_children=Count("children")).order_by("code")
