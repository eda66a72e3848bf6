"""Forms of the trade promotion screens. They only bind and check input; the services write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import CleanTextMixin
from apps.core.policy import scope
from apps.geo.enums import Level
from apps.geo.models import AdministrativeUnit
from apps.products.models import Product

from .models import Fair, PointOfSale
from .services import FAIR_FIELDS, POINT_OF_SALE_FIELDS


class PlaceChoiceField(forms.ModelChoiceField):
    """Units in tree order, indented by depth, so a commune shows under its district and province."""

    def label_from_instance(self, obj):
        depth = obj.path.count("/") - 2
        return f"{'— ' * depth}{obj.name} ({obj.code})"


def places_for(user):
    """Where the user may place a point of sale or fair: their subtree; national users pick a province."""
    units = scope(AdministrativeUnit.objects.all(), user, unit_field=None)
    if user.unit_id is None:
        units = units.filter(level=Level.PROVINCE)
    return units.order_by("path")


class _TradeForm(CleanTextMixin, forms.ModelForm):
    unit = PlaceChoiceField(label=_("Administrative unit"), queryset=AdministrativeUnit.objects.none())
    website = forms.URLField(
        label=_("Website"),
        required=False,
        max_length=200,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = places_for(user)
        if not self.instance.pk and user.unit_id:
            self.fields["unit"].initial = user.unit_id
        self.fields["unit"].help_text = _("The province, or the district or commune inside it, where it is.")


class PointOfSaleForm(_TradeForm):
    class Meta:
        model = PointOfSale
        fields = list(POINT_OF_SALE_FIELDS)
        widgets = {
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        }
        help_texts = {"is_active": _("Only open points of sale are shown to the public.")}


class FairForm(_TradeForm):
    class Meta:
        model = Fair
        fields = list(FAIR_FIELDS)
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def clean(self):
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The end date cannot be before the start date."))
        return data

    def _post_clean(self):
        # The dates are checked above with a readable message; the model's constraint would repeat it in SQL terms.
        if "ends_on" not in self.errors:
            super()._post_clean()


class ProductChoiceForm(forms.Form):
    """The product to add or take away; the service decides whether it may be carried."""

    product = forms.ModelChoiceField(queryset=Product.objects.all(), widget=forms.HiddenInput)


class ProductSearchForm(forms.Form):
    q = forms.CharField(label=_("Find a certified product"), max_length=200, required=False)
