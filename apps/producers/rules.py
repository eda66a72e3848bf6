"""Permissions on producers and their documents.

Staff see the producers of their subtree; producer users see the producers they are linked to through
``Producer.accounts``. Only commune officers (and system administrators) change producers, inside their subtree.
"""

import rules
from django.db.models import Q

from apps.accounts.enums import Role
from apps.core.policy import (
    NOTHING,
    has_role,
    in_user_subtree,
    is_active_account,
    is_staff_member,
    q_in_user_subtree,
    q_when,
)
from apps.geo.enums import Edition, Level

from .models import Producer


def _producer_of(obj):
    """The producer behind a producer, a document or product (``.producer``) or a photo (``.product.producer``)."""
    if hasattr(obj, "accounts"):
        return obj
    if hasattr(obj, "producer"):
        return obj.producer
    return obj.product.producer


@rules.predicate
def is_producer_account(user, obj):
    """The user is a producer account linked to the producer (or to the producer of a document/product)."""
    if obj is None or not is_active_account(user) or user.role != Role.PRODUCER:
        return False
    return _producer_of(obj).accounts.filter(pk=user.pk).exists()


def q_is_producer_account(user, producer_field):
    """Query form of :func:`is_producer_account` for rows whose producer is ``producer_field`` ("" for producers)."""
    if not is_active_account(user) or user.role != Role.PRODUCER:
        return NOTHING
    # A subquery, not a join through the accounts: a producer with several accounts must not repeat the rows.
    linked = Producer.objects.filter(accounts=user).values("pk")
    return Q(**{f"{producer_field}__in" if producer_field else "pk__in": linked})


def q_can_view(user, *, producer_field, unit_field):
    """Query form of the view permissions of producers, documents, products and photos."""
    return (q_when(is_staff_member, user) & q_in_user_subtree(user, unit_field)) | q_is_producer_account(
        user, producer_field
    )


may_edit_registry = has_role(Role.COMMUNE_OFFICER, Role.SYSTEM_ADMIN)

can_view = (is_staff_member & in_user_subtree) | is_producer_account
can_change = may_edit_registry & in_user_subtree

rules.add_perm("producers.add_producer", may_edit_registry)
rules.add_perm("producers.view_producer", can_view)
rules.add_perm("producers.change_producer", can_change)
rules.add_perm("producers.upload_document", can_change | is_producer_account)
rules.add_perm("producers.view_producerdocument", can_view)
# Removing or replacing a vault document: the staff who may edit the producer (its commune's officer).
rules.add_perm("producers.change_producerdocument", can_change)
rules.add_perm("producers.delete_producerdocument", can_change)


@rules.predicate
def registered_before_the_reform(user, producer):
    return producer is not None and producer.commune.edition == Edition.THREE_TIER_2024


@rules.predicate
def commune_needs_assigning(user, producer):
    """Its old commune was split in 2025 (or is not linked): no 2025 commune took it over by itself.

    A producer of an old commune wholly merged into a 2025 commune already belongs to that commune's officer.
    """
    return producer is not None and not producer.commune.wholly_merged


@rules.predicate
def works_for_a_2025_province(user):
    unit = user.unit if user.unit_id else None
    return unit is not None and unit.edition == Edition.TWO_TIER_2025 and unit.level == Level.PROVINCE


# Moving a producer of a pre-2025 commune to a 2025 commune: staff of the 2025 province that took the old one over,
# one by one for the communes split in 2025 (the others move in bulk, see apps/geo/rehoming.py, or need no move).
rules.add_perm(
    "producers.rehome_producer",
    registered_before_the_reform
    & commune_needs_assigning
    & ((has_role(Role.PROVINCE_OFFICER) & works_for_a_2025_province & in_user_subtree) | has_role(Role.SYSTEM_ADMIN)),
)


@rules.predicate
def is_pre_2025_unit(user, unit):
    return unit is not None and unit.edition == Edition.THREE_TIER_2024


# Moving every producer of an old commune, district or province to its 2025 commune in one action.
may_bulk_rehome = (has_role(Role.PROVINCE_OFFICER) & works_for_a_2025_province) | has_role(Role.SYSTEM_ADMIN)
rules.add_perm("producers.bulk_rehome", is_pre_2025_unit & may_bulk_rehome & in_user_subtree)
rules.add_perm("producers.view_bulkrehoming", may_bulk_rehome & in_user_subtree)
rules.add_perm("producers.start_bulk_rehoming", may_bulk_rehome)
