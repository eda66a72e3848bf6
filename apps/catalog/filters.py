"""The catalogue's facets, shared by the public pages and the open-data API (same names, same meaning)."""

from functools import cache

import django_filters
from django.db.models import Q
from django.http import QueryDict
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


def _filter_search(queryset, name, value):
    for word in search_words(value):
        queryset = queryset.filter(search_text__contains=word)
    return queryset


def _filter_unit(queryset, name, value):
    return queryset.filter(Q(**{f"{name}_id": value}) | Q(**{f"current_{name}_id": value}))


def _filter_edition(queryset, name, value):
    return queryset  # only chooses how the facets group (see selectors.facet_columns)


def _filter_sort(queryset, name, value):
    return queryset.order_by(*SORT_ORDERS[value])


class CatalogFilter(django_filters.FilterSet):
    """The facets, validated by a form whose class and fields are built once per process.

    django-filter deep-copies every filter and builds a new form class (and its fields) for each instance: about a
    millisecond of a catalogue page's few. Here the filters' methods are plain functions, not methods looked up on
    the filter set, so one set of filters serves every instance; they and the form's fields are only read.
    """

    q = django_filters.CharFilter(method=_filter_search, label=_("Search"), max_length=200)
    # A unit of either edition: a 2025 province takes in its old provinces' products; an old one (the old list,
    # ``edition=2024``) only its own.
    province = django_filters.NumberFilter(method=_filter_unit, label=_("Province"))
    district = django_filters.NumberFilter(field_name="district_id", label=_("District"))
    commune = django_filters.NumberFilter(method=_filter_unit, label=_("Commune"))
    edition = django_filters.ChoiceFilter(
        choices=Edition.choices, method=_filter_edition, label=_("Administrative units"), empty_label=None
    )
    group = django_filters.CharFilter(field_name="group__code", label=_("Product group"), max_length=8)
    product_set = django_filters.CharFilter(field_name="product_set__code", label=_("Product set"), max_length=12)
    stars = django_filters.TypedChoiceFilter(choices=RECOGNISED_STARS, coerce=int, label=_("Stars"))
    # Bounded: the column is a small positive integer, and a year outside it would break the SQL (issue 11).
    year = django_filters.NumberFilter(
        field_name="recognised_year", label=_("Year of recognition"), min_value=1990, max_value=2100, decimal_places=0
    )
    sort = django_filters.ChoiceFilter(choices=CatalogSort.choices, method=_filter_sort, label=_("Sort by"))

    class Meta:
        model = CatalogEntry
        fields = []

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        # django-filter's own __init__ but for the deep copy of the filters and setting each one's parent and model,
        # which a filter needs only to look up a method by name or to make up a label (every one here has both).
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = CatalogEntry.objects.all() if queryset is None else queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = self.base_filters

    @classmethod
    @cache
    def _form_class(cls):
        fields = {name: filter_.field for name, filter_ in cls.base_filters.items()}
        form_class = type(f"{cls.__name__}Form", (cls._meta.form,), fields)
        form_class.base_fields = SharedFields(form_class.base_fields)
        return form_class

    def get_form_class(self):
        return self._form_class()

    def filter_queryset(self, queryset):
        # Stars first by default, so the order is the same whether or not ``sort`` was given.
        return super().filter_queryset(queryset.order_by(*SORT_ORDERS[CatalogSort.STARS]))


class SharedFields(dict):
    """A form class's fields that its forms share instead of deep-copying them (Django copies them so that a form
    may change its own; the catalogue's filter form is only validated, and rendering one changes no field)."""

    def __deepcopy__(self, memo):
        return dict(self)
