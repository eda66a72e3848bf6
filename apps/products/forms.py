"""Forms of the product registry. They only bind and check input; the services write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import CleanTextMixin
from apps.geo.enums import Level
from apps.geo.models import AdministrativeUnit
from apps.producers.forms import UnitChoiceField, communes_for
from apps.producers.models import Producer
from apps.producers.selectors import producers_editable_by

from .models import Product
from .selectors import product_sets
from .services import PRODUCT_FIELDS


class ProductSetChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} · {obj.name}"


def grouped_product_set_choices():
    """The 26 sets under their 6 groups, for a select with option groups (one query)."""
    groups = {}
    for product_set in product_sets():
        groups.setdefault(product_set.group.name, []).append(
            (product_set.pk, f"{product_set.code} · {product_set.name}")
        )
    return [("", "---------"), *groups.items()]


class ProductForm(CleanTextMixin, forms.ModelForm):
    product_set = ProductSetChoiceField(
        label=_("Product set"),
        queryset=product_sets(),
        help_text=_("The 26 product sets of Decision 148; each set has its own score sheet."),
    )
    producer = forms.ModelChoiceField(label=_("Producer"), queryset=Producer.objects.none())
    commune = UnitChoiceField(label=_("Commune of origin"), queryset=AdministrativeUnit.objects.none())

    class Meta:
        model = Product
        fields = list(PRODUCT_FIELDS)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "story": forms.Textarea(attrs={"rows": 5}),
            "where_to_buy": forms.Textarea(attrs={"rows": 2}),
            "price_min": forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
            "price_max": forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
            "gtin": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        }
        help_texts = {
            "story": _("The product story (câu chuyện sản phẩm): its origin, the people and the place behind it."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["producer"].queryset = producers_editable_by(user).order_by("name")
        self.fields["commune"].queryset = communes_for(user)
        self.fields["product_set"].choices = grouped_product_set_choices()
        if user.unit_id and user.unit.level == Level.COMMUNE and not self.instance.pk:
            self.initial.setdefault("commune", user.unit_id)
        producer = self.initial.get("producer")
        if isinstance(producer, Producer) and not self.instance.pk:
            self.initial["producer"] = producer.pk
            self.initial["commune"] = producer.commune_id


class PhotoForm(CleanTextMixin, forms.Form):
    image = forms.FileField(
        label=_("Photo (JPEG or PNG)"), widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"})
    )
    alt = forms.CharField(
        label=_("Description of the photo"),
        max_length=255,
        required=False,
        help_text=_("A short description for people who cannot see the photo."),
    )
