"""Permissions on user accounts: who may see and invite whom."""

import rules

from apps.core.policy import is_staff_member, user_covers_unit

from .enums import INVITABLE_ROLES


@rules.predicate
def may_see_user(viewer, other):
    if other is None:
        return False
    if other.is_national:
        return viewer.is_national
    return user_covers_unit(viewer, other.unit)


@rules.predicate
def may_invite(user):
    return bool(INVITABLE_ROLES.get(user.role))


rules.add_perm("accounts.view_user", is_staff_member & may_see_user)
rules.add_perm("accounts.invite_user", is_staff_member & may_invite)
