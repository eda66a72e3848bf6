"""Permissions of the cycles app, built from the predicates of apps.core.policy."""

import rules

from apps.accounts.enums import Role
from apps.core.policy import has_role, in_user_subtree, is_staff_member


@rules.predicate
def is_commune_officer_of(user, obj):
    """The user is the commune officer of the commune the object belongs to."""
    if obj is None:
        return False
    unit = obj.jurisdiction_unit
    return user.role == Role.COMMUNE_OFFICER and unit is not None and user.unit_id == unit.pk


@rules.predicate
def is_officer_of_unit(user, obj):
    """The user is an officer bound to exactly the object's unit (plans and cycles belong to one unit)."""
    if obj is None:
        return False
    return (
        user.role in (Role.PROVINCE_OFFICER, Role.DISTRICT_OFFICER, Role.COMMUNE_OFFICER)
        and user.unit_id == obj.jurisdiction_unit.pk
    )


@rules.predicate
def is_linked_producer(user, application):
    """A producer account linked to the application's producer (it sees its own applications)."""
    if application is None or user.role != Role.PRODUCER:
        return False
    return application.product.producer.accounts.filter(pk=user.pk).exists()


@rules.predicate
def is_before_my_council(user, obj):
    """A council member seated on an open round that scores this application (or this evidence's)."""
    if obj is None or getattr(user, "role", None) != Role.COUNCIL_MEMBER:
        return False
    from .selectors import applications_before_my_council  # noqa: PLC0415 — breaks the cycle models → rules → selectors → models

    application_id = obj.dossier.application_id if hasattr(obj, "dossier_id") else obj.pk
    return applications_before_my_council(user).filter(pk=application_id).exists()


is_organiser = has_role(Role.PROVINCE_OFFICER, Role.DISTRICT_OFFICER)
is_overseer = has_role(Role.PROVINCE_OFFICER, Role.DISTRICT_OFFICER, Role.CENTRAL_OFFICER, Role.SYSTEM_ADMIN)
is_commune_officer = has_role(Role.COMMUNE_OFFICER)

rules.add_perm(
    "cycles.view_application", (is_staff_member & in_user_subtree) | is_linked_producer | is_before_my_council
)
rules.add_perm("cycles.register_idea", is_commune_officer)
rules.add_perm("cycles.change_dossier", is_commune_officer_of)
rules.add_perm("cycles.view_evidencefile", (is_staff_member & in_user_subtree) | is_before_my_council)
# Removing an evidence file: the product's commune officer (the service also requires an editable state).
rules.add_perm("cycles.delete_evidencefile", is_commune_officer_of)
rules.add_perm("cycles.view_work_list", is_staff_member)
rules.add_perm("cycles.view_overview", is_overseer)
rules.add_perm("cycles.view_cycle", is_staff_member)
rules.add_perm("cycles.add_cycle", is_organiser)
rules.add_perm("cycles.view_plan", is_staff_member & in_user_subtree)
rules.add_perm("cycles.change_plan", is_officer_of_unit)
