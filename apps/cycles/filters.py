"""Filters of the application lists: state, cycle, product set, commune and a diacritic-blind search."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from apps.products.models import ProductSet

from .enums import ApplicationState
from .models import Application, Cycle
from .selectors import application_search, waiting_for


class ApplicationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Product or producer, e.g. cha muc")}),
    )
    state = django_filters.ChoiceFilter(label=_("State"), choices=ApplicationState.choices, empty_label=_("All states"))
    cycle = django_filters.ModelChoiceFilter(
        label=_("Cycle"), queryset=Cycle.objects.none(), empty_label=_("All cycles")
    )
    product_set = django_filters.ModelChoiceFilter(
        label=_("Product set"),
        field_name="product__product_set",
        queryset=ProductSet.objects.order_by("code"),
        empty_label=_("All product sets"),
    )

    waiting = django_filters.BooleanFilter(
        label=_("Waiting for me"), method="waiting_for_me", widget=forms.CheckboxInput
    )

    class Meta:
        model = Application
        fields = ["q", "state", "cycle", "product_set", "waiting"]

    def __init__(self, *args, cycles, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["cycle"].queryset = cycles

    def waiting_for_me(self, queryset, name, value):
        return waiting_for(queryset, self.request.user) if value and self.request else queryset

    def search(self, queryset, name, value):
        return application_search(queryset, value)
