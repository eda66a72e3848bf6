from django.db import models
from django.utils.translation import gettext_lazy as _


class CertificateStatus(models.TextChoices):
    """What the official record says today (computed, never stored: dates move on their own)."""

    VALID = "valid", _("Valid")
    NOT_YET_VALID = "not_yet_valid", _("Not yet in force")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")
    SUPERSEDED = "superseded", _("Replaced by a newer certificate")


class Replacement(models.TextChoices):
    """What the newer certificate of a re-evaluated product did to its star rank."""

    RENEWED = "renewed", _("Renewed at the same star rank")
    UPGRADED = "upgraded", _("Upgraded")
    DOWNGRADED = "downgraded", _("Downgraded")
