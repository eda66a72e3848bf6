"""Every write to accounts: inviting staff and producers."""

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.audit.services import audit_record
from apps.core.enums import MailKind, MailState
from apps.core.mail import mail_queue
from apps.core.models import OutgoingMail
from apps.core.policy import user_covers_unit
from apps.geo.models import AdministrativeUnit

from .enums import INVITABLE_ROLES
from .models import User


def _password_set_url(user: User) -> str:

    key = default_token_generator.make_token(user)
    path = reverse("account_reset_password_from_key", kwargs={"uidb36": user_pk_to_url_str(user), "key": key})
    return f"{settings.SITE_SCHEME}://{settings.SITE_DOMAIN}{path}"


@transaction.atomic
def user_invite(
    *, email: str, full_name: str, role: str, unit: AdministrativeUnit | None, by: User, phone: str = ""
) -> User:
    """Create an account for someone inside the inviter's subtree and mail them a link to set a password."""
    if role not in INVITABLE_ROLES.get(by.role, set()):
        raise PermissionDenied(_("You may not invite users with this role."))
    if unit is not None and not user_covers_unit(by, unit):
        raise PermissionDenied(_("This unit is outside your jurisdiction."))
    if unit is None and not by.is_national:
        raise PermissionDenied(_("Only national administrators may create national accounts."))
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("An account with this e-mail already exists.")})
    user = User(email=email, full_name=full_name, role=role, unit=unit, phone=phone, invited_by=by)
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    audit_record(
        action="user.invite", obj=user, by=by, after={"email": email, "role": role, "unit": unit.path if unit else None}
    )
    _queue_invitation(user, by)
    return user


def _queue_invitation(user: User, inviter: User) -> None:
    context = {"user": user, "inviter": inviter, "url": _password_set_url(user)}
    mail_queue(
        kind=MailKind.INVITATION,
        subject=_("Invitation to the OCOP Portal"),
        body=render_to_string("accounts/email/invitation.txt", context),
        to=[user.email],
        user=user,
    )


def invitation_may_be_resent(*, user: User) -> bool:
    """An invitation not accepted yet (no password set) whose last mail could not be delivered."""
    if user.has_usable_password() or user.last_login is not None:
        return False
    last = OutgoingMail.objects.filter(user=user, kind=MailKind.INVITATION).order_by("-created_at", "-pk").first()
    return last is not None and last.state == MailState.FAILED


@transaction.atomic
def user_invite_resend(*, user: User, by: User) -> User:
    """Send a failed invitation again, with a fresh link: only its inviter (or someone who may invite that role
    in that unit) may."""
    user = User.objects.select_for_update().get(pk=user.pk)
    may = user.invited_by_id == by.pk or (
        user.role in INVITABLE_ROLES.get(by.role, set()) and user.unit is not None and user_covers_unit(by, user.unit)
    )
    if not may:
        raise PermissionDenied(_("You may not re-send this invitation."))
    if not invitation_may_be_resent(user=user):
        raise ValidationError(_("This invitation was delivered or accepted; there is nothing to re-send."))
    _queue_invitation(user, by)
    audit_record(action="user.invite_resend", obj=user, by=by, after={"email": user.email})
    return user
