"""Forms of the cycles screens. They only bind and clean input; the services decide and write."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from apps.core.enums import RuleSet
from apps.core.forms import CleanTextMixin
from apps.products.models import ProductSet

from .enums import ApplicationState, CycleStep, TargetKind
from .models import Cycle, Dossier
from .services import DOSSIER_FIELDS

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class IdeaForm(CleanTextMixin, forms.Form):
    cycle = forms.ModelChoiceField(label=_("Cycle"), queryset=Cycle.objects.none())
    producer = forms.ModelChoiceField(label=_("Producer"), queryset=None)
    name = forms.CharField(label=_("Product name"), max_length=255)
    product_set = forms.ModelChoiceField(
        label=_("Product set"), queryset=ProductSet.objects.select_related("group").order_by("code")
    )
    description = forms.CharField(
        label=_("Short description of the idea"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=2000,
    )

    def __init__(self, *args, cycles, producers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cycle"].queryset = cycles
        self.fields["producer"].queryset = producers
        self.fields["product_set"].label_from_instance = lambda s: f"{s.code} — {s.name}"
        first = cycles.first()
        if first is not None:
            self.fields["cycle"].initial = first.pk


class TransitionForm(CleanTextMixin, forms.Form):
    to_state = forms.ChoiceField(choices=ApplicationState.choices, widget=forms.HiddenInput)
    expected_state = forms.ChoiceField(choices=ApplicationState.choices, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class DossierForm(CleanTextMixin, forms.ModelForm):
    self_assessment_text = forms.CharField(
        label=_("Self-assessment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "placeholder": "A1 = 3\nA2 = 2\nB1 = 4"}),
        help_text=_("One criterion per line: the criterion code, an equals sign and the points (e.g. “A1 = 3”)."),
        max_length=5000,
    )

    class Meta:
        model = Dossier
        fields = DOSSIER_FIELDS
        widgets = {
            "raw_materials": forms.Textarea(attrs={"rows": 3}),
            "markets": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, needs_samples=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applicant_name"].required = True
        if needs_samples:
            self.fields["sample_count"].help_text = _("Usually 5 samples; at least 1 is required to submit.")
        else:
            self.fields["sample_count"].help_text = _("This product set brings no samples to the council.")
        if self.instance and self.instance.self_assessment and not self.is_bound:
            self.initial["self_assessment_text"] = "\n".join(
                f"{code} = {points}" for code, points in self.instance.self_assessment.items()
            )

    def clean_self_assessment_text(self):
        scores = {}
        for number, line in enumerate(self.cleaned_data["self_assessment_text"].splitlines(), start=1):
            if not line.strip():
                continue
            code, sep, points = line.partition("=")
            code = code.strip().upper()
            try:
                value = float(points.strip().replace(",", "."))
            except ValueError:
                value = None
            if not sep or not code or value is None or value < 0 or value > 100:
                raise ValidationError(_("Line %(number)s is not “criterion code = points”."), params={"number": number})
            scores[code] = int(value) if value.is_integer() else value
        return scores

    def service_kwargs(self):
        data = {f: self.cleaned_data[f] for f in DOSSIER_FIELDS}
        data["self_assessment"] = self.cleaned_data["self_assessment_text"]
        return data


class EvidenceForm(CleanTextMixin, forms.Form):
    title = forms.CharField(label=_("What the file proves"), max_length=255)
    file = forms.FileField(label=_("File (PDF, JPEG or PNG)"))


class CycleForm(CleanTextMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("Organising unit"), queryset=None)
    year = forms.IntegerField(label=_("Year"), min_value=2019, max_value=2100)
    rule_set = forms.ChoiceField(
        label=_("Rule set"),
        choices=[
            (RuleSet.QD148_2023.value, RuleSet.QD148_2023.label),
            (RuleSet.QD1489_2025.value, RuleSet.QD1489_2025.label),
        ],
    )
    name = forms.CharField(label=_("Name"), max_length=255, required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        if len(units) == 1:
            self.fields["unit"].initial = units[0].pk
        year = datetime.date.today().year
        self.fields["year"].initial = year
        for step in CycleStep:
            self.fields[f"step_{step.value}_start"] = forms.DateField(
                label=_("Step %(no)s: %(name)s — from") % {"no": step.value, "name": step.label}, widget=DATE_INPUT
            )
            self.fields[f"step_{step.value}_end"] = forms.DateField(
                label=_("Step %(no)s — until") % {"no": step.value}, widget=DATE_INPUT
            )

    def step_dates(self):
        from .services import StepDates

        return [
            StepDates(s, self.cleaned_data[f"step_{s}_start"], self.cleaned_data[f"step_{s}_end"])
            for s in CycleStep.values
        ]


class PlanForm(CleanTextMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in TargetKind:
            self.fields[f"target_{kind.value}"] = forms.IntegerField(
                label=kind.label, min_value=0, max_value=100000, required=False
            )

    def targets(self):
        return {kind: self.cleaned_data[f"target_{kind.value}"] for kind in TargetKind}
