"""Permissions on traceability records: the producer's own accounts, and the officers of its subtree.

Every object here exposes ``producer`` and ``jurisdiction_unit`` (the producer's commune). Approving stamp
requests belongs to the level the province chose (``StampApprovalPolicy``, default
``OCOP_STAMP_APPROVAL_LEVEL``): the commune officer, or the province officer (and always the system admin).
"""

import rules
from django.conf import settings

from apps.accounts.enums import Role
from apps.core.policy import has_role, in_user_subtree, q_in_user_subtree, q_when
from apps.producers.rules import is_producer_account, q_is_producer_account

from .enums import ApprovalLevel

is_officer = has_role(
    Role.COMMUNE_OFFICER, Role.DISTRICT_OFFICER, Role.PROVINCE_OFFICER, Role.CENTRAL_OFFICER, Role.SYSTEM_ADMIN
)
officer_of_subtree = is_officer & in_user_subtree
own_or_officer = is_producer_account | officer_of_subtree
# Sites, lots and events: the producer and the commune officer (the registry's editor), as for products.
site_editor = is_producer_account | (has_role(Role.COMMUNE_OFFICER, Role.SYSTEM_ADMIN) & in_user_subtree)


def q_site_editor(user, producer_field):
    """Query form of ``site_editor`` (also who may request stamps) for rows whose producer is ``producer_field``."""
    editor = q_when(has_role(Role.COMMUNE_OFFICER, Role.SYSTEM_ADMIN), user)
    return q_is_producer_account(user, producer_field) | (
        editor & q_in_user_subtree(user, f"{producer_field}__commune")
    )


def q_officer_of_subtree(user, producer_field):
    """Query form of ``officer_of_subtree`` for rows whose producer is ``producer_field``."""
    return q_when(is_officer, user) & q_in_user_subtree(user, f"{producer_field}__commune")


def q_own_or_officer(user, producer_field):
    """Query form of ``own_or_officer`` (the view permissions of sites, lots and batches)."""
    return q_is_producer_account(user, producer_field) | q_officer_of_subtree(user, producer_field)


def approval_level_for(unit):
    """The approval level in force in the province of ``unit`` (a commune)."""
    from .models import StampApprovalPolicy  # noqa: PLC0415 — breaks the cycle models → rules → models

    province = unit
    while province is not None and province.parent_id is not None:
        province = province.parent
    policy = StampApprovalPolicy.objects.filter(province=province).first() if province else None
    return ApprovalLevel(policy.level if policy else settings.OCOP_STAMP_APPROVAL_LEVEL)


@rules.predicate
def is_the_approving_level(user, batch):
    if batch is None:
        return False
    if user.role == Role.SYSTEM_ADMIN:
        return True
    wanted = Role.COMMUNE_OFFICER if approval_level_for(batch.jurisdiction_unit) == ApprovalLevel.COMMUNE else None
    return user.role == (wanted or Role.PROVINCE_OFFICER)


@rules.predicate
def is_its_requester(user, batch):
    """Four eyes: the officer who asked for a batch (the commune officer, where the commune approves) does not approve
    it. The system administrator, whose every act is audited, is the one exception (break-glass, and the demo)."""
    return batch is not None and batch.requested_by_id == user.pk and user.role != Role.SYSTEM_ADMIN


rules.add_perm("traceability.view_site", own_or_officer)
rules.add_perm("traceability.change_site", site_editor)
rules.add_perm("traceability.view_lot", own_or_officer)
rules.add_perm("traceability.change_lot", site_editor)
rules.add_perm("traceability.view_batch", own_or_officer)
# Stamps are requested by those who keep the lot's record (the producer, the commune officer), not by the levels
# above: the district has no part in it, and the province approves (it may not approve what it asked for).
rules.add_perm("traceability.request_stamps", site_editor)
rules.add_perm("traceability.approve_batch", is_officer & in_user_subtree & is_the_approving_level & ~is_its_requester)
rules.add_perm("traceability.void_stamps", own_or_officer)
rules.add_perm("traceability.download_batch", own_or_officer)
rules.add_perm("traceability.view_reports", officer_of_subtree)
# The list of fake-product reports (each row still filtered by ``reports_visible_to``): officers only.
rules.add_perm("traceability.list_reports", is_officer)
# Screens listing the user's records (each row still filtered by the selectors).
rules.add_perm("traceability.use_traceability", is_officer | has_role(Role.PRODUCER))
