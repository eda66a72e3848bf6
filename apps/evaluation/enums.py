"""Enumerations of the councils: tiers, member roles, states, aggregation, and the rule sets' part maxima."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core.enums import RuleSet
from apps.geo.enums import Level


class Tier(models.TextChoices):
    COMMUNE = "commune", _("Commune pre-check")
    DISTRICT = "district", _("District council")
    PROVINCE = "province", _("Province council")
    CENTRAL = "central", _("Central council")


class MemberRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    SECRETARY = "secretary", _("Secretary")
    MEMBER = "member", _("Member")
    ADVISORY = "advisory", _("Advisory group")


# The advisory group pre-checks dossiers; it does not score.
SCORING_ROLES = (MemberRole.CHAIR, MemberRole.SECRETARY, MemberRole.MEMBER)


class RoundState(models.TextChoices):
    OPEN = "open", _("Open for scoring")
    CLOSED = "closed", _("Closed")


class SheetState(models.TextChoices):
    """A member's score sheet: draft → submitted → (reopened by the chair → submitted) → locked at closing."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    REOPENED = "reopened", pgettext_lazy("sheet state", "Reopened")
    LOCKED = "locked", pgettext_lazy("sheet state", "Locked")


# The member may still choose options (the round being open): a new sheet, or one the chair reopened.
SCORABLE_SHEET_STATES = (SheetState.DRAFT, SheetState.REOPENED)
# The sheet counts towards the product's result: submitted, or locked with its submitted answers at closing.
COUNTED_SHEET_STATES = (SheetState.SUBMITTED, SheetState.LOCKED)


class Aggregation(models.TextChoices):
    MEAN = "mean", _("Mean of the members' totals")
    MEDIAN = "median", _("Median of the members' totals")


# Part maxima per rule set (Annex of each decision). 1489 amended the tiers, not the sheet.
PART_MAXIMA = {
    RuleSet.QD148_2023: {"A": Decimal(40), "B": Decimal(25), "C": Decimal(35)},
    RuleSet.QD1489_2025: {"A": Decimal(40), "B": Decimal(25), "C": Decimal(35)},
    RuleSet.QD1048_2019: {"A": Decimal(35), "B": Decimal(25), "C": Decimal(40)},
}

# Which tiers evaluate under each rule set, and the unit level of each tier's council.
TIERS_BY_RULE_SET: dict[str, tuple[str, ...]] = {  # RuleSet -> Tier members, which are str
    RuleSet.QD148_2023: (Tier.DISTRICT, Tier.PROVINCE, Tier.CENTRAL),
    RuleSet.QD1048_2019: (Tier.DISTRICT, Tier.PROVINCE, Tier.CENTRAL),
    RuleSet.QD1489_2025: (Tier.COMMUNE, Tier.PROVINCE, Tier.CENTRAL),
}
# The central council rates the products of a province's cycle; its round is filed under that province.
TIER_LEVELS: dict[str, str] = {
    Tier.COMMUNE: Level.COMMUNE,
    Tier.DISTRICT: Level.DISTRICT,
    Tier.PROVINCE: Level.PROVINCE,
    Tier.CENTRAL: Level.PROVINCE,
}

# What each tier may recognise, and from which total it sends a product up to the next tier.
RECOGNISABLE_STARS: dict[tuple[str, str], set[int]] = {  # (RuleSet, Tier) -> stars
    (RuleSet.QD148_2023, Tier.DISTRICT): {3},
    (RuleSet.QD148_2023, Tier.PROVINCE): {4},
    (RuleSet.QD148_2023, Tier.CENTRAL): {5},
    (RuleSet.QD1048_2019, Tier.DISTRICT): {3},
    (RuleSet.QD1048_2019, Tier.PROVINCE): {4},
    (RuleSet.QD1048_2019, Tier.CENTRAL): {5},
    (RuleSet.QD1489_2025, Tier.PROVINCE): {3, 4},
    (RuleSet.QD1489_2025, Tier.CENTRAL): {5},
}
FORWARD_THRESHOLDS: dict[tuple[str, str], Decimal] = {
    (RuleSet.QD148_2023, Tier.DISTRICT): Decimal(70),
    (RuleSet.QD148_2023, Tier.PROVINCE): Decimal(90),
    (RuleSet.QD1048_2019, Tier.DISTRICT): Decimal(70),
    (RuleSet.QD1048_2019, Tier.PROVINCE): Decimal(90),
    (RuleSet.QD1489_2025, Tier.PROVINCE): Decimal(90),
}
