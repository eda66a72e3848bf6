"""Reads about users and their MFA state."""

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.db.models import OuterRef, QuerySet, Subquery

from apps.core.enums import MailKind
from apps.core.models import OutgoingMail

from .models import User
from .rules import q_view_user


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
    """The accounts ``user`` may see (``accounts.view_user``): their subtree's; national ones to national viewers."""
    return User.objects.select_related("unit").filter(q_view_user(user))


def with_invitation_state(users: QuerySet[User]) -> QuerySet[User]:
    """Annotate ``invitation_state``: the state of each account's last invitation mail (None when none)."""
    last = OutgoingMail.objects.filter(user=OuterRef("pk"), kind=MailKind.INVITATION).order_by("-created_at", "-pk")
    return users.annotate(invitation_state=Subquery(last.values("state")[:1]))
