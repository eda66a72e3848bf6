"""Sends staff who must use MFA to the TOTP set-up page until they have an authenticator."""

from django.shortcuts import redirect
from django.urls import reverse

from .selectors import user_must_set_up_mfa

_ALWAYS_ALLOWED_PREFIXES = ("/accounts/", "/static/", "/en/accounts/")


class RequireMfaMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(_ALWAYS_ALLOWED_PREFIXES)
            and user_must_set_up_mfa(user)
        ):
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
