"""Sends staff who must use MFA to the TOTP set-up page until they have an authenticator; ends idle and old staff
sessions."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .enums import Role
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


class StaffSessionTimeoutMiddleware:
    """Staff sessions end after ``OCOP_STAFF_IDLE_MINUTES`` without a request and ``OCOP_STAFF_SESSION_HOURS``
    after they began, whatever the cookie says: an unattended office computer does not stay signed in for days.
    Producer accounts keep the normal session (they open only their own records)."""

    IDLE_KEY, STARTED_KEY = "ocop_last_seen", "ocop_session_started"
    WRITE_EVERY = 60  # seconds

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.role != Role.PRODUCER:
            now = time.time()
            session = request.session
            if self.STARTED_KEY not in session:  # a session from before this rule: start counting now
                stamp_session(session, now)
            started, last_seen = session[self.STARTED_KEY], session.get(self.IDLE_KEY, now)
            idle = now - last_seen > settings.OCOP_STAFF_IDLE_MINUTES * 60
            expired = now - started > settings.OCOP_STAFF_SESSION_HOURS * 3600
            if idle or expired:
                logout(request)
                messages.info(
                    request,
                    _("You were signed out after %(minutes)s minutes without activity; please sign in again.")
                    % {"minutes": settings.OCOP_STAFF_IDLE_MINUTES}
                    if idle
                    else _("Your session has ended after %(hours)s hours; please sign in again.")
                    % {"hours": settings.OCOP_STAFF_SESSION_HOURS},
                )
                return redirect_to_login(request.get_full_path())
            if now - last_seen > self.WRITE_EVERY:  # a session write per minute at most, not per request
                session[self.IDLE_KEY] = now
        return self.get_response(request)


def stamp_session(session, now=None):
    now = now or time.time()
    session[StaffSessionTimeoutMiddleware.STARTED_KEY] = now
    session[StaffSessionTimeoutMiddleware.IDLE_KEY] = now


@receiver(user_logged_in)
def _stamp_session_on_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        stamp_session(request.session)
