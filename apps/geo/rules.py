"""Permissions on administrative units: staff see their own subtree."""

import rules

from apps.core.policy import in_user_subtree, is_staff_member

rules.add_perm("geo.view_administrativeunit", is_staff_member & in_user_subtree)
