"""Forms of the reports app: dashboard filters, the on-demand generation, the narrative and the return reason."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.enums import RuleSet
from apps.core.forms import CleanTextMixin
from apps.geo.enums import Edition
from apps.products.models import ProductGroup

from .enums import ReportKind
from .models import NARRATIVE_MAX_LENGTH
from .periods import Period


class DashboardFilterForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2019, max_value=2100, required=False)
    rule_set = forms.ChoiceField(
        label=_("Rule set"), required=False, choices=[("", _("All rule sets")), *RuleSet.choices]
    )
    group = forms.ChoiceField(label=_("Product group"), required=False)
    edition = forms.ChoiceField(label=_("Unit list"), required=False, choices=Edition.choices)

    def __init__(self, *args, national=False, groups=None, **kwargs):
        """``groups``: the (code, name) choices when the caller has them (the dashboard caches them)."""
        super().__init__(*args, **kwargs)
        if groups is None:
            groups = ProductGroup.objects.order_by("order").values_list("code", "name")
        self.fields["group"].choices = [("", _("All groups")), *groups]
        if not national:
            del self.fields["edition"]

    def values(self):
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "year": data.get("year") or timezone.localdate().year,
            "rule_set": data.get("rule_set") or None,
            "group": data.get("group") or None,
            "edition": data.get("edition") or Edition.TWO_TIER_2025,
        }


class GenerateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ReportKind.choices)
    period = forms.CharField(label=_("Period"), max_length=24, help_text=_("2026-11, 2026-Q4, 2026-H2 or 2026"))

    def clean(self):
        data = super().clean()
        if data.get("kind") and data.get("period"):
            try:
                data["parsed_period"] = Period.parse(data["period"], kind=data["kind"])
            except ValidationError as exc:
                self.add_error("period", exc)
        return data


class NarrativeForm(CleanTextMixin, forms.Form):
    results = forms.CharField(
        label=_("results achieved"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=NARRATIVE_MAX_LENGTH,
    )
    difficulties = forms.CharField(
        label=_("difficulties and shortcomings"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=NARRATIVE_MAX_LENGTH,
    )
    proposals = forms.CharField(
        label=_("proposals and recommendations"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=NARRATIVE_MAX_LENGTH,
    )

    @classmethod
    def for_report(cls, report):
        return cls(initial={name: getattr(report, name) for name in ("results", "difficulties", "proposals")})


class ReturnForm(CleanTextMixin, forms.Form):
    reason = forms.CharField(label=_("Reason for return"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
