from django.utils.translation import gettext_lazy as _

from apps.core.navigation import NavItem
from apps.producers.navigation import REGISTRY_ROLES

NAV_ITEMS = [NavItem(_("Products"), "products:product_list", REGISTRY_ROLES)]
