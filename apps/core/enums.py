"""Enumerations shared across apps: the rule sets the programme has been judged under, star ranks, mail states and
the render state of generated documents (certificates, decisions, council minutes)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RuleSet(models.TextChoices):
    # Decision 148/QĐ-TTg of 24/02/2023: commune → district → province → central; district recognises 3★.
    QD148_2023 = "qd148-2023", _("Decision 148/QĐ-TTg (2023), three tiers")
    # 148 amended by 1489/QĐ-TTg of 06/07/2025: no districts; the province recognises 3★ and 4★.
    QD1489_2025 = "qd1489-2025", _("Decision 1489/QĐ-TTg (2025), two tiers")
    # Decision 1048/QĐ-TTg (2019): parts A35/B25/C40; only on old records.
    QD1048_2019 = "qd1048-2019", _("Decision 1048/QĐ-TTg (2019)")


class Stars(models.IntegerChoices):
    ONE = 1, _("1 star")
    TWO = 2, _("2 stars")
    THREE = 3, _("3 stars")
    FOUR = 4, _("4 stars")
    FIVE = 5, _("5 stars")


# Only 3★ and above are recognised and certified (domain §6): 1★ and 2★ are bands a council total can fall in.
LOWEST_RECOGNISED_STARS = Stars.THREE
RECOGNISED_STARS = tuple(s for s in Stars if s >= LOWEST_RECOGNISED_STARS)


class MailState(models.TextChoices):
    PENDING = "pending", _("waiting to be sent")
    SENT = "sent", _("sent")
    FAILED = "failed", _("could not be sent")


class MailKind(models.TextChoices):
    INVITATION = "invitation", _("invitation")
    NOTIFICATION = "notification", _("notification")


class RenderState(models.TextChoices):
    PENDING = "pending", _("Waiting to be generated")
    RENDERING = "rendering", _("Being generated")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Generation failed")
