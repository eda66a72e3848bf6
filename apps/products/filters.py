"""Filters of the product list: group, set, producer, commune and a diacritic-insensitive search."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from apps.geo.models import AdministrativeUnit
from apps.producers.filters import UnitFilter
from apps.producers.models import Producer
from apps.producers.selectors import search_filter

from .forms import ProductSetChoiceField
from .selectors import product_groups, product_sets


class ProductSetFilter(django_filters.ModelChoiceFilter):
    field_class = ProductSetChoiceField


class ProductFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    group = django_filters.ModelChoiceFilter(
        label=_("Group"), field_name="product_set__group", queryset=product_groups(), empty_label=_("All groups")
    )
    product_set = ProductSetFilter(label=_("Product set"), queryset=product_sets(), empty_label=_("All sets"))
    producer = django_filters.ModelChoiceFilter(
        label=_("Producer"), queryset=Producer.objects.none(), empty_label=_("All producers")
    )
    commune = UnitFilter(label=_("Commune"), queryset=AdministrativeUnit.objects.none(), empty_label=_("All communes"))

    def __init__(self, data=None, queryset=None, *, producers, communes, hidden=(), **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.filters["producer"].queryset = producers
        self.filters["commune"].queryset = communes
        # Filters in ``hidden`` would offer thousands of options (nationwide or province-wide lists): they
        # still work from links (?producer=…, ?commune=…) but their options are not rendered.
        for name in hidden:
            self.filters[name].extra["widget"] = forms.HiddenInput

    def filter_search(self, queryset, name, value):
        return queryset.filter(search_filter("search_text", value))
