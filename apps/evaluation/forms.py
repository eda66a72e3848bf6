"""Forms of the councils. Choices are always limited to what the user may pick; services validate again."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User
from apps.core.forms import CleanTextMixin, CriterionChoicesForm
from apps.cycles.models import Application
from apps.geo.enums import Level
from apps.geo.models import AdministrativeUnit

from .eligibility import creatable_cycles, creatable_tiers, eligible_applications
from .enums import MemberRole, Tier
from .models import CommunePreCheck, EvaluationRound
from .rules import q_may_sit_on


class DateInput(forms.DateInput):
    input_type = "date"


class RoundCreateForm(CleanTextMixin, forms.ModelForm):
    class Meta:
        model = EvaluationRound
        fields = [
            "cycle",
            "tier",
            "unit",
            "name",
            "council_decision_number",
            "council_decision_date",
            "council_decision_signer",
            "aggregation",
            "quorum_numerator",
            "quorum_denominator",
            "quorum_requires_chair",
            "spread_threshold",
        ]
        widgets = {"council_decision_date": DateInput(format="%Y-%m-%d")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        tiers = creatable_tiers(user)
        self.fields["cycle"].queryset = creatable_cycles(user)
        self.fields["tier"].choices = [(t, label) for t, label in Tier.choices if t in tiers]
        if len(tiers) == 1:
            self.fields["tier"].initial = tiers[0]
        units = AdministrativeUnit.objects.filter(level=Level.PROVINCE)
        if not user.is_national:
            units = AdministrativeUnit.objects.filter(pk=user.unit_id)
            self.fields["unit"].initial = user.unit_id
        self.fields["unit"].queryset = units.order_by("path")
        self.fields["council_decision_number"].required = True
        self.fields["council_decision_date"].required = True
        self.fields["council_decision_signer"].required = True


class MemberAddForm(forms.Form):
    user = forms.ModelChoiceField(label=_("User"), queryset=User.objects.none())
    role = forms.ChoiceField(label=_("Council role"), choices=MemberRole.choices, initial=MemberRole.MEMBER)

    def __init__(self, *args, round, **kwargs):
        super().__init__(*args, **kwargs)
        eligible = User.objects.filter(q_may_sit_on(round))  # the service asks may_sit_on, the same rule
        self.fields["user"].queryset = eligible.exclude(council_seats__round=round).order_by("full_name")


class EntryAddForm(forms.Form):
    application = forms.ModelChoiceField(label=_("Application"), queryset=Application.objects.none())

    def __init__(self, *args, round, **kwargs):
        super().__init__(*args, **kwargs)
        # Only what the state machine lets this round take; the service checks again under a lock.
        self.fields["application"].queryset = (
            eligible_applications(round).select_related("product", "cycle").order_by("product__name")
        )


class EntryRemoveForm(CleanTextMixin, forms.Form):
    reason = forms.CharField(label=_("Reason for removing the product"), max_length=500)


class ConflictForm(CleanTextMixin, forms.Form):
    reason = forms.CharField(
        label=_("Your tie to the producer"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000
    )


class ReopenForm(CleanTextMixin, forms.Form):
    reason = forms.CharField(label=_("Reason for re-scoring"), max_length=500)


class SheetForm(CriterionChoicesForm):
    """A council member's sheet: one radio group per criterion, each option with its points."""

    def option_label(self, option):
        return f"{option.text} ({option.points:g})"


class PreCheckForm(CleanTextMixin, forms.ModelForm):
    passed = forms.TypedChoiceField(
        label=_("Forward to the province"),
        choices=[(True, _("Yes")), (False, _("No"))],
        coerce=lambda v: v in (True, "True"),
        widget=forms.RadioSelect,
    )

    class Meta:
        model = CommunePreCheck
        fields = ["local_materials", "local_producer", "legal_conditions", "community_benefit", "passed", "reason"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 3})}


class DecisionForm(CleanTextMixin, forms.Form):
    number = forms.CharField(label=_("Decision number"), max_length=64)
    date = forms.DateField(label=_("Decision date"), widget=DateInput(format="%Y-%m-%d"))
    issuer_name = forms.CharField(label=_("Issuing People's Committee"), max_length=255)
    signer_title = forms.CharField(label=_("Signer's title"), max_length=255)
    signer_name = forms.CharField(label=_("Signer's name"), max_length=255)

    def clean_date(self):
        # A decision is recorded once signed: a date in the future (9999-12-31 would overflow the 36 months of
        # validity) or before the programme is a typing mistake.
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError(_("The decision date cannot be in the future."), code="future")
        if date < datetime.date(2000, 1, 1):
            raise forms.ValidationError(_("The decision date is too far in the past."), code="too_old")
        return date


class SelfAssessmentForm(CriterionChoicesForm):
    """The product set's score sheet as the applicant fills it: one radio group per criterion (option ids)."""
