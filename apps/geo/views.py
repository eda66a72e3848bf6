"""Unit pages for staff: a unit, its place in the tree and the units below it."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from apps.core.policy import get_object_or_403

from .models import AdministrativeUnit
from .selectors import unit_children_with_counts, unit_history


@login_required
def unit_detail(request, pk):
    unit = get_object_or_403(
        AdministrativeUnit.objects.select_related("parent"), request.user, "geo.view_administrativeunit", pk=pk
    )
    return render(
        request,
        "geo/unit_detail.html",
        {
            "unit": unit,
            "ancestors": unit.ancestors(),
            "children": unit_children_with_counts(unit),
            "history": unit_history(unit),
        },
    )
