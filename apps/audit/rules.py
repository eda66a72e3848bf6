"""Who reads the audit trail: province and central staff (their subtree) and system administrators."""

import rules

from apps.accounts.enums import Role
from apps.core.policy import has_role

rules.add_perm("audit.browse_audit", has_role(Role.PROVINCE_OFFICER, Role.CENTRAL_OFFICER, Role.SYSTEM_ADMIN))
