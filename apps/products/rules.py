"""Permissions on products: the producer rules, applied to the product's commune of origin and producer."""

import rules

from apps.core.policy import in_user_subtree, is_staff_member
from apps.producers.rules import is_producer_account, may_edit_registry

rules.add_perm("products.add_product", may_edit_registry)
rules.add_perm("products.view_product", (is_staff_member & in_user_subtree) | is_producer_account)
rules.add_perm("products.change_product", may_edit_registry & in_user_subtree)
rules.add_perm("products.view_productphoto", (is_staff_member & in_user_subtree) | is_producer_account)
# Removing a photo or choosing the cover: the staff who may edit the product (its commune's officer).
rules.add_perm("products.change_productphoto", may_edit_registry & in_user_subtree)
rules.add_perm("products.delete_productphoto", may_edit_registry & in_user_subtree)
