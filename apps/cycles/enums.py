"""States of an OCOP application (hồ sơ), the six steps of the annual cycle and the kinds of plan targets."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CycleStep(models.IntegerChoices):
    PUBLICITY = 1, _("Publicity and guidance")
    IDEAS = 2, _("Product idea registration")
    PLANS = 3, _("Business plans")
    IMPLEMENTATION = 4, _("Carrying out the plans")
    EVALUATION = 5, _("Evaluation and star rating")
    PROMOTION = 6, _("Trade promotion")


class ApplicationState(models.TextChoices):
    IDEA_REGISTERED = "idea_registered", _("Idea registered")
    IDEA_ACCEPTED = "idea_accepted", _("Idea accepted")
    IDEA_REJECTED = "idea_rejected", _("Idea rejected")
    PLAN_SUBMITTED = "plan_submitted", _("Business plan submitted")
    IMPLEMENTING = "implementing", _("Plan approved (implementing)")
    DOSSIER_SUBMITTED = "dossier_submitted", _("Dossier submitted")
    DOSSIER_CHECKED = "dossier_checked", _("Dossier checked by the commune")
    SENT_FOR_EVALUATION = "sent_for_evaluation", _("Sent up for evaluation")
    RETURNED = "returned", _("Returned for correction")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    # Outcomes of the councils, written by the round's close (pre-check) or by the recognition decision.
    FORWARDED_PROVINCE = "forwarded_province", _("Forwarded to the province council")
    FORWARDED_CENTRAL = "forwarded_central", _("Forwarded to the central council")
    NOT_PROPOSED = "not_proposed", _("Not proposed by the commune pre-check")
    RECOGNISED = "recognised", _("Recognised")
    NOT_RECOGNISED = "not_recognised", _("Not recognised")


# States after which nothing happens to an application any more (it is not "in progress").
FINAL_STATES = (
    ApplicationState.IDEA_REJECTED,
    ApplicationState.WITHDRAWN,
    ApplicationState.NOT_PROPOSED,
    ApplicationState.RECOGNISED,
    ApplicationState.NOT_RECOGNISED,
)


# Applications in these states pin nothing for the 2025 re-homing: a producer whose products have only these may move
# (producers asks through ``producers.signals.products_in_progress``, answered in apps/cycles/receivers.py).
SETTLED_APPLICATION_STATES = (ApplicationState.IDEA_REJECTED, ApplicationState.SENT_FOR_EVALUATION)


class ApplicationPurpose(models.TextChoices):
    """Why a product enters a cycle: a new idea, or an existing product evaluated again."""

    NEW = "new", _("New product")
    RE_EVALUATION = "re_evaluation", _("Re-evaluation before the certificate expires")
    UPGRADE = "upgrade", _("Attempt at a higher star rank")
    RETRY = "retry", _("Evaluated again after an unsuccessful evaluation")


class Tier(models.TextChoices):
    """Who acts on an application: the product's commune, or the tier above that approves ideas and plans."""

    COMMUNE = "commune", _("Commune officer of the product's commune")
    # District officer under qd148-2023; province officer under qd1489-2025 (no districts).
    APPROVING = "approving", _("Approving officer (district under 148, province under 1489)")
    # Nobody presses a button for these: closing a pre-check round or recording a decision makes the move.
    COUNCIL = "council", _("The council's result (pre-check or recognition decision)")


class TargetKind(models.TextChoices):
    IDEAS_PER_COMMUNE = "ideas_per_commune", _("Product ideas per commune")
    NEW_THREE_STAR = "new_3_star", _("New 3-star products")
    NEW_FOUR_STAR = "new_4_star", _("New 4-star products")
    NEW_FIVE_STAR = "new_5_star", _("New 5-star products")
    KEY_PRODUCTS_PER_DISTRICT = "key_products_per_district", _("Key products per district")
