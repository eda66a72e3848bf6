"""Permissions on certificates: province staff manage them, producers and subtree staff download them."""

import rules

from apps.accounts.enums import Role
from apps.core.policy import has_role, in_user_subtree, is_staff_member, q_in_user_subtree, q_when


@rules.predicate
def is_certificate_holder(user, certificate):
    """A producer account linked to the certificate's producer."""
    if certificate is None or not getattr(user, "is_authenticated", False) or user.role != Role.PRODUCER:
        return False
    return certificate.product.producer.accounts.filter(pk=user.pk).exists()


is_certificate_office = has_role(Role.PROVINCE_OFFICER, Role.CENTRAL_OFFICER, Role.SYSTEM_ADMIN)

rules.add_perm("certificates.list_certificates", is_certificate_office)
rules.add_perm("certificates.view_certificate", is_staff_member & in_user_subtree)


def q_view_certificate(user):
    """Query form of ``certificates.view_certificate`` on certificates."""
    return q_when(is_staff_member, user) & q_in_user_subtree(user, "product__commune")


def q_view_decisiondocument(user):
    """Query form of ``certificates.download_decisiondocument`` on decision documents."""
    return q_when(is_staff_member, user) & q_in_user_subtree(user, "decision__issuing_unit")


rules.add_perm("certificates.download_certificate", (is_staff_member & in_user_subtree) | is_certificate_holder)
rules.add_perm("certificates.revoke_certificate", is_certificate_office & in_user_subtree)
rules.add_perm("certificates.retry_render", is_certificate_office & in_user_subtree)
rules.add_perm("certificates.download_decisiondocument", is_staff_member & in_user_subtree)
