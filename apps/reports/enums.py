"""Kinds of periodic report and the states a report goes through on its way up the chain."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportKind(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    HALF_YEARLY = "half-yearly", _("Six-monthly")
    YEARLY = "yearly", _("Yearly")


class ReportState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for correction")
    ACCEPTED = "accepted", _("Accepted")


class FileState(models.TextChoices):
    PENDING = "pending", _("Waiting to be generated")
    RENDERING = "rendering", _("Being generated")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Generation failed")


class ChildReportStatus(models.TextChoices):
    """What the level above sees for each child unit and period."""

    RECEIVED = "received", _("Received")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned")
    MISSING = "missing", _("Not yet received")
    LATE = "late", _("Late")
