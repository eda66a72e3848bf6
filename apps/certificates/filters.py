"""Filters of the staff certificate list."""

import django_filters
from django.utils.translation import gettext_lazy as _

from apps.core.enums import RenderState

from .enums import CertificateStatus
from .models import Certificate


class CertificateFilter(django_filters.FilterSet):
    render_state = django_filters.ChoiceFilter(label=_("Generation state"), choices=RenderState.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=CertificateStatus.choices, method="filter_status")
    q = django_filters.CharFilter(label=_("Serial or product"), method="filter_q")

    class Meta:
        model = Certificate
        fields = ["render_state", "status", "q"]

    def filter_status(self, queryset, name, value):
        return queryset.with_status(value)

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(serial__icontains=value) | queryset.filter(product__name__icontains=value)
