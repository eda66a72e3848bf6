"""Navigation entries of trade promotion (step 6 of the cycle)."""

from django.utils.translation import gettext_lazy as _

from apps.core.navigation import NavItem

from .rules import TRADE_VIEWERS

NAV_ITEMS = [
    NavItem(_("OCOP points of sale"), "trade:point_of_sale_list", frozenset(TRADE_VIEWERS)),
    NavItem(_("Trade fairs"), "trade:fair_list", frozenset(TRADE_VIEWERS)),
]
