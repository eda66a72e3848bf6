"""Permissions on user accounts: who may see and invite whom."""

import rules

from apps.core.policy import EVERYTHING, is_staff_member, q_in_user_subtree, q_when, user_covers_unit

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


def q_view_user(user):
    """Query form of ``accounts.view_user``: national viewers see everyone, others the accounts of their subtree."""
    if is_staff_member(user) and user.is_national:
        return EVERYTHING
    return q_when(is_staff_member, user) & q_in_user_subtree(user, "unit")


rules.add_perm("accounts.invite_user", is_staff_member & may_invite)
