"""Forms of the accounts app."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import CleanTextMixin
from apps.geo.models import AdministrativeUnit

from .enums import INVITABLE_ROLES, Role


class InviteForm(CleanTextMixin, forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"))
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    role = forms.ChoiceField(label=_("Role"))
    unit = forms.ModelChoiceField(
        label=_("Administrative unit"), queryset=AdministrativeUnit.objects.none(), required=False
    )

    def __init__(self, *args, inviter, unit_queryset, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = INVITABLE_ROLES.get(inviter.role, set())
        self.fields["role"].choices = [(r.value, r.label) for r in Role if r in allowed]
        self.fields["unit"].queryset = unit_queryset
        self.fields["unit"].help_text = _("Type the unit's code or pick it from the list.")
