"""Every write to accounts: inviting staff and producers."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.audit.services import audit_record
from apps.core.policy import user_covers_unit

from .enums import INVITABLE_ROLES
from .models import User


def _password_set_url(user):
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str

    key = default_token_generator.make_token(user)
    path = reverse("account_reset_password_from_key", kwargs={"uidb36": user_pk_to_url_str(user), "key": key})
    return f"{settings.SITE_SCHEME}://{settings.SITE_DOMAIN}{path}"


@transaction.atomic
def user_invite(*, email, full_name, role, unit, by, phone=""):
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
    url = _password_set_url(user)
    context = {"user": user, "inviter": by, "url": url}
    transaction.on_commit(
        lambda: send_mail(
            subject=_("Invitation to the OCOP Portal"),
            message=render_to_string("accounts/email/invitation.txt", context),
            from_email=None,
            recipient_list=[user.email],
        )
    )
    return user
