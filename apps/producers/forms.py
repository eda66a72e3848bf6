"""Forms of the producer registry. They only bind and check input; the services write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.accounts.enums import Role
from apps.accounts.models import User
from apps.core.forms import CleanTextMixin
from apps.core.policy import scope
from apps.geo.enums import Level
from apps.geo.models import AdministrativeUnit

from .enums import DocumentKind
from .models import Producer
from .services import PRODUCER_FIELDS


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.code})"


class AccountsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.full_name} <{obj.email}>"


def communes_for(user):
    """The commune-level units a user may register things in."""
    return scope(AdministrativeUnit.objects.filter(level=Level.COMMUNE), user, unit_field=None).order_by("name", "path")


class ProducerForm(CleanTextMixin, forms.ModelForm):
    commune = UnitChoiceField(label=_("Commune"), queryset=AdministrativeUnit.objects.none())
    accounts = AccountsField(
        label=_("Producer accounts"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Producer users who may see this producer, its products and documents."),
    )

    class Meta:
        model = Producer
        fields = list(PRODUCER_FIELDS)
        widgets = {
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
            "tax_code": forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "5700123456"}),
            "founded_year": forms.NumberInput(attrs={"inputmode": "numeric"}),
        }
        help_texts = {
            "tax_code": _(
                "10 digits, or 10 digits-3 digits for a branch. Optional only for a cooperative group (THT)."
            ),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        communes = communes_for(user)
        self.fields["commune"].queryset = communes
        if user.unit_id and user.unit.level == Level.COMMUNE and not self.instance.pk:
            self.fields["commune"].initial = user.unit_id
        self.fields["accounts"].queryset = scope(
            User.objects.filter(role=Role.PRODUCER, is_active=True), user, unit_field="unit"
        ).order_by("full_name", "email")
        if self.instance.pk:
            self.fields["accounts"].initial = list(self.instance.accounts.values_list("pk", flat=True))
        for name in ("members_count", "workers_count", "women_workers", "ethnic_minority_workers"):
            self.fields[name].widget.attrs.update(min=0, inputmode="numeric")


class DocumentForm(CleanTextMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind of document"), choices=DocumentKind.choices)
    title = forms.CharField(label=_("Title or number"), max_length=255, required=False)
    file = forms.FileField(
        label=_("File (PDF, JPEG or PNG)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )
    issued_on = forms.DateField(
        label=_("Issued on"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    expires_on = forms.DateField(
        label=_("Expires on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Leave empty if the document does not expire."),
    )

    def clean(self):
        data = super().clean()
        issued, expires = data.get("issued_on"), data.get("expires_on")
        if issued and expires and issued > expires:
            self.add_error("expires_on", _("The expiry date cannot be before the issue date."))
        return data


class DocumentReplaceForm(DocumentForm):
    """The corrected file of the same kind: the kind stays the replaced document's."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["kind"]


class RehomeForm(CleanTextMixin, forms.Form):
    """Pick the 2025 commune a producer of a pre-2025 commune now belongs to."""

    commune = UnitChoiceField(label=_("New commune (since 1 July 2025)"), queryset=AdministrativeUnit.objects.none())

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = targets
