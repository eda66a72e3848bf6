"""Reads about users and their MFA state."""

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.db.models import OuterRef, QuerySet, Subquery

from apps.core.enums import MailKind
from apps.core.models import OutgoingMail
from apps.core.policy import scope

from .models import User


def user_has_totp(user: User) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def user_must_set_up_mfa(user: User) -> bool:
    """Province staff and admins must have TOTP before using the portal when the setting says so."""
    return (
        settings.OCOP_REQUIRE_MFA
        and user.is_authenticated
        and user.role in settings.OCOP_MFA_REQUIRED_ROLES
        and not user_has_totp(user)
    )


def users_visible_to(user: User) -> QuerySet[User]:
    """Users bound to the viewer's subtree (national users are visible to national viewers only)."""
    qs = User.objects.select_related("unit")
    scoped = scope(qs, user, unit_field="unit")
    if user.is_authenticated and user.is_national:
        return qs
    return scoped


def with_invitation_state(users: QuerySet[User]) -> QuerySet[User]:
    """Annotate ``invitation_state``: the state of each account's last invitation mail (None when none)."""
    last = OutgoingMail.objects.filter(user=OuterRef("pk"), kind=MailKind.INVITATION).order_by("-created_at", "-pk")
    return users.annotate(invitation_state=Subquery(last.values("state")[:1]))
