"""Forms of the certificates app."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import CleanTextMixin


class RevokeForm(CleanTextMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason for revocation"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Shown on the public verification page."),
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Give the reason for the revocation."))
        return reason


class VerifyLookupForm(forms.Form):
    """Someone holding a printed certificate types the serial number (or the code under the QR code)."""

    ma = forms.CharField(
        label=_("Serial number or verification code"),
        max_length=40,
        strip=True,
        widget=forms.TextInput(attrs={"placeholder": "OCOP-22-2026-00001", "autocomplete": "off"}),
        help_text=_("Printed under the QR code of the certificate."),
    )
