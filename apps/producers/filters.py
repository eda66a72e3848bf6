"""Filters of the producer list: type, commune and a search that ignores Vietnamese diacritics."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from apps.geo.models import AdministrativeUnit

from .enums import ProducerKind
from .forms import UnitChoiceField
from .selectors import search_filter


class UnitFilter(django_filters.ModelChoiceFilter):
    field_class = UnitChoiceField


class ProducerFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    kind = django_filters.ChoiceFilter(label=_("Type"), choices=ProducerKind.choices, empty_label=_("All types"))
    commune = UnitFilter(label=_("Commune"), queryset=AdministrativeUnit.objects.none(), empty_label=_("All communes"))

    def __init__(self, data=None, queryset=None, *, communes, compact=False, **kwargs):
        super().__init__(data, queryset, **kwargs)
        # Only the communes that appear in the user's list are offered (see selectors.communes_of).
        self.filters["commune"].queryset = communes
        if compact:
            # Nationwide lists would offer thousands of communes: the filter then only works from links.
            self.filters["commune"].extra["widget"] = forms.HiddenInput

    def filter_search(self, queryset, name, value):
        return queryset.filter(search_filter("search_text", value))
