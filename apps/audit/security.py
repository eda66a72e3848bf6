"""Security events in the audit trail: sign-ins, failed sign-ins, MFA changes and private-file downloads. Each row
carries the IP address and request id of the request that caused it."""

from http import HTTPStatus

from allauth.mfa import signals as mfa_signals
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver
from django.http import FileResponse

from .middleware import request_id
from .models import AuditEvent


def _record(request, *, action, user=None, actor=None, object_type="accounts.user", object_id="", repr_="", **extra):
    return AuditEvent.objects.create(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=str(object_id or (user.pk if user else ""))[:64],
        object_repr=(repr_ or (user.email if user else ""))[:255],
        unit=getattr(user, "unit", None) if user is not None else None,
        ip=request.META.get("REMOTE_ADDR") if request is not None else None,
        request_id=request_id(request) if request is not None else "",
        **extra,
    )


@receiver(user_logged_in, dispatch_uid="audit_login")
def _login(sender, request, user, **kwargs):
    _record(request, action="auth.login", user=user, actor=user)


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def _login_failed(sender, credentials, request=None, **kwargs):
    login = str(credentials.get("email") or credentials.get("username") or credentials.get("login") or "")[:254]
    user = get_user_model().objects.filter(email__iexact=login).select_related("unit").first() if login else None
    _record(request, action="auth.login_failed", user=user, repr_=login)


def _mfa(action):
    def handler(sender, request=None, authenticator=None, user=None, **kwargs):
        user = user or getattr(authenticator, "user", None)
        kind = getattr(authenticator, "type", "") or ""
        _record(request, action=action, user=user, actor=user, after={"type": str(kind)} if kind else None)

    return handler


_mfa_added, _mfa_removed, _mfa_reset = _mfa("mfa.added"), _mfa("mfa.removed"), _mfa("mfa.reset")
mfa_signals.authenticator_added.connect(_mfa_added, dispatch_uid="audit_mfa_added")
mfa_signals.authenticator_removed.connect(_mfa_removed, dispatch_uid="audit_mfa_removed")
mfa_signals.authenticator_reset.connect(_mfa_reset, dispatch_uid="audit_mfa_reset")


class DownloadAuditMiddleware:
    """Every file a signed-in user downloads through a view (producers' documents, evidence, certificates, minutes,
    decisions, admin files) leaves a row naming the view and the object."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (
            isinstance(response, FileResponse)
            and response.status_code == HTTPStatus.OK
            and user
            and user.is_authenticated
        ):
            match = request.resolver_match
            view = match.view_name if match else request.path
            object_id = next(iter(match.kwargs.values()), "") if match and match.kwargs else ""
            _record(
                request,
                action="file.download",
                user=user,
                actor=user,
                object_type=view[:64],
                object_id=object_id,
                repr_=request.path,
                after={"filename": response.filename} if getattr(response, "filename", None) else None,
            )
        return response
