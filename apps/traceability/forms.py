"""Forms of the traceability screens and the public report of a suspected fake."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.forms import CleanTextMixin
from apps.geo.enums import Level
from apps.geo.models import AdministrativeUnit
from apps.producers.models import Producer
from apps.products.models import Product

from .enums import CertificationKind, EventKind, SiteKind
from .models import MAX_STAMPS_PER_BATCH, ProductionSite


class SiteForm(CleanTextMixin, forms.Form):
    producer = forms.ModelChoiceField(label=_("Producer"), queryset=Producer.objects.none())
    name = forms.CharField(label=_("Name"), max_length=255)
    kind = forms.ChoiceField(label=_("Kind"), choices=SiteKind.choices)
    commune = forms.ModelChoiceField(label=_("Commune"), queryset=AdministrativeUnit.objects.none())
    address = forms.CharField(label=_("Address"), max_length=255)
    latitude = forms.DecimalField(label=_("Latitude"), required=False, min_value=-90, max_value=90, decimal_places=6)
    longitude = forms.DecimalField(
        label=_("Longitude"), required=False, min_value=-180, max_value=180, decimal_places=6
    )
    area_m2 = forms.IntegerField(label=_("Area (m²)"), required=False, min_value=0)
    products = forms.ModelMultipleChoiceField(
        label=_("Products made here"),
        queryset=Product.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, producers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["producer"].queryset = producers
        self.fields["products"].queryset = Product.objects.filter(producer__in=producers).order_by("name")
        communes = AdministrativeUnit.objects.filter(level=Level.COMMUNE, pk__in=producers.values("commune"))
        self.fields["commune"].queryset = communes
        if producers.count() == 1:
            self.fields["producer"].initial = producers.first()
            self.fields["commune"].initial = producers.first().commune

    def clean(self):
        data = super().clean()
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            raise forms.ValidationError(_("Give both the latitude and the longitude, or neither."))
        return data


class CertificationForm(CleanTextMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Certification"), choices=CertificationKind.choices)
    number = forms.CharField(label=_("Certificate number"), max_length=64, required=False)
    issuer = forms.CharField(label=_("Issued by"), max_length=255, required=False)
    valid_until = forms.DateField(
        label=_("Valid until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class LotForm(CleanTextMixin, forms.Form):
    product = forms.ModelChoiceField(label=_("Product"), queryset=Product.objects.none())
    code = forms.CharField(
        label=_("Lot code"), max_length=20, help_text=_("As printed on the package, e.g. L2026-015.")
    )
    produced_on = forms.DateField(label=_("Production date"), widget=forms.DateInput(attrs={"type": "date"}))
    expires_on = forms.DateField(
        label=_("Expiry / best before"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    quantity = forms.DecimalField(label=_("Quantity"), min_value=0, max_digits=12, decimal_places=2)
    unit = forms.CharField(label=_("Unit"), max_length=32, initial="kg")
    inputs = forms.CharField(
        label=_("Key inputs and their origin"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line, e.g. “Chè búp tươi — đồi chè Đường Hoa”."),
        max_length=2000,
    )
    sites = forms.ModelMultipleChoiceField(
        label=_("Production sites"),
        queryset=ProductionSite.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, products, sites, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = products
        self.fields["sites"].queryset = sites
        self.fields["produced_on"].initial = timezone.localdate()


class EventForm(CleanTextMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Event"), choices=EventKind.choices, widget=forms.RadioSelect)
    occurred_at = forms.DateTimeField(
        label=_("When"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    site = forms.ModelChoiceField(label=_("Where"), queryset=ProductionSite.objects.none(), required=False)
    place = forms.CharField(label=_("Or another place"), max_length=255, required=False)
    actor = forms.CharField(label=_("Who"), max_length=255)
    note = forms.CharField(
        label=_("Details"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )

    def __init__(self, *args, sites, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites
        self.fields["occurred_at"].initial = timezone.localtime().replace(second=0, microsecond=0)


class BatchRequestForm(CleanTextMixin, forms.Form):
    quantity = forms.IntegerField(label=_("Number of stamps"), min_value=1, max_value=MAX_STAMPS_PER_BATCH)


class ProductBatchRequestForm(BatchRequestForm):
    product = forms.ModelChoiceField(label=_("Product"), queryset=Product.objects.none())

    def __init__(self, *args, products, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = products


class ReasonForm(CleanTextMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class VoidRangeForm(ReasonForm):
    first = forms.IntegerField(label=_("From stamp number"), min_value=1)
    last = forms.IntegerField(label=_("To stamp number"), min_value=1)


class CodeForm(forms.Form):
    code = forms.CharField(label=_("Code printed under the QR code"), max_length=32)


class FakeReportForm(CleanTextMixin, forms.Form):
    photo = forms.FileField(label=_("Photo of the package and its stamp"))
    where_bought = forms.CharField(label=_("Where you bought it"), max_length=255, required=False)
    message = forms.CharField(
        label=_("What looks wrong"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    contact = forms.CharField(label=_("Phone or e-mail (optional)"), max_length=128, required=False)
