"""``sensitive_action``: a POST that revokes, decides, changes a role or imports a sheet needs a password or TOTP
entered in the last ``ACCOUNT_REAUTHENTICATION_TIMEOUT`` seconds (allauth's reauthentication flow; the form is
resubmitted after the user confirms)."""

from allauth.account.decorators import reauthentication_required
from django.conf import settings


def _enabled(request):
    return settings.OCOP_REAUTHENTICATE_SENSITIVE


sensitive_action = reauthentication_required(allow_get=True, enabled=_enabled)
