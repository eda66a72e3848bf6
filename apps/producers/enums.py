from django.db import models
from django.utils.translation import gettext_lazy as _


class ProducerKind(models.TextChoices):
    COOPERATIVE = "htx", _("Cooperative (HTX)")
    ENTERPRISE = "dn", _("Enterprise (DN)")
    COOPERATIVE_GROUP = "tht", _("Cooperative group (THT)")
    HOUSEHOLD = "hkd", _("Registered household business")


class DocumentKind(models.TextChoices):
    BUSINESS_REGISTRATION = "business_registration", _("Business registration")
    FOOD_SAFETY = "food_safety", _("Food-safety certificate")
    QUALITY_DECLARATION = "quality_declaration", _("Product quality declaration")
    TEST_REPORT = "test_report", _("Test report")
    TRADEMARK = "trademark", _("Trademark certificate")
    TRACEABILITY = "traceability", _("Traceability record")


class RehomingState(models.TextChoices):
    """A bulk move of an old unit's producers to their 2025 communes (one task, item by item)."""

    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


ACTIVE_REHOMING_STATES = (RehomingState.QUEUED, RehomingState.RUNNING)
