"""The filters of the row-history page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import CleanTextMixin

from .selectors import history_models


class RowHistoryFilterForm(CleanTextMixin, forms.Form):
    model = forms.ChoiceField(label=_("Record type"), required=False)
    actor = forms.EmailField(label=_("By (e-mail)"), required=False, max_length=254)
    date_from = forms.DateField(label=_("From date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    unit = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1, max_value=2**31 - 1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["model"].choices = [("", _("All"))] + [
            (label, m.pgh_tracked_model._meta.verbose_name.capitalize()) for label, m in history_models().items()
        ]
