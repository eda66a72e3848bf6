"""The catalogue's facets, shared by the public pages and the open-data API (same names, same meaning)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.enums import LOWEST_RECOGNISED_STARS, Stars
from apps.core.text import fold
from apps.geo.enums import Edition

from .enums import CatalogSort
from .models import CatalogEntry

MAX_SEARCH_WORDS = 8
RECOGNISED_STARS = [(s.value, s.label) for s in Stars if s >= LOWEST_RECOGNISED_STARS]

SORT_ORDERS = {
    CatalogSort.STARS: ("-stars", "sort_name", "pk"),
    CatalogSort.NEWEST: ("-recognised_on", "sort_name", "pk"),
    CatalogSort.NAME: ("sort_name", "pk"),
}


def search_words(text):
    """The folded words of a query ("Nước mắm  PHÚ Quốc" → ["nuoc", "mam", "phu", "quoc"])."""
    return fold(text[:200]).split()[:MAX_SEARCH_WORDS]


class CatalogFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label=_("Search"), max_length=200)
    # A unit of either edition: a 2025 province takes in its old provinces' products; an old one (the old list,
    # ``edition=2024``) only its own.
    province = django_filters.NumberFilter(method="filter_unit", label=_("Province"))
    district = django_filters.NumberFilter(field_name="district_id", label=_("District"))
    commune = django_filters.NumberFilter(method="filter_unit", label=_("Commune"))
    edition = django_filters.ChoiceFilter(
        choices=Edition.choices, method="filter_edition", label=_("Administrative units"), empty_label=None
    )
    group = django_filters.CharFilter(field_name="group__code", label=_("Product group"), max_length=8)
    product_set = django_filters.CharFilter(field_name="product_set__code", label=_("Product set"), max_length=12)
    stars = django_filters.TypedChoiceFilter(choices=RECOGNISED_STARS, coerce=int, label=_("Stars"))
    # Bounded: the column is a small positive integer, and a year outside it would break the SQL (issue 11).
    year = django_filters.NumberFilter(
        field_name="recognised_year", label=_("Year of recognition"), min_value=1990, max_value=2100, decimal_places=0
    )
    sort = django_filters.ChoiceFilter(choices=CatalogSort.choices, method="filter_sort", label=_("Sort by"))

    class Meta:
        model = CatalogEntry
        fields = []

    def filter_search(self, queryset, name, value):
        for word in search_words(value):
            queryset = queryset.filter(search_text__contains=word)
        return queryset

    def filter_unit(self, queryset, name, value):
        return queryset.filter(Q(**{f"{name}_id": value}) | Q(**{f"current_{name}_id": value}))

    def filter_edition(self, queryset, name, value):
        return queryset  # only chooses how the facets group (see selectors.facet_columns)

    def filter_sort(self, queryset, name, value):
        return queryset.order_by(*SORT_ORDERS[value])

    def filter_queryset(self, queryset):
        # Stars first by default, so the order is the same whether or not ``sort`` was given.
        return super().filter_queryset(queryset.order_by(*SORT_ORDERS[CatalogSort.STARS]))
