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
