from django.db import models
from django.utils.translation import gettext_lazy as _


class SiteKind(models.TextChoices):
    WORKSHOP = "workshop", _("Workshop")
    FARM = "farm", _("Farm")
    GROWING_AREA = "growing_area", _("Growing area")
    FISHING_GROUND = "fishing_ground", _("Fishing ground")


class CertificationKind(models.TextChoices):
    VIETGAP = "vietgap", "VietGAP"
    GLOBALGAP = "globalgap", "GlobalG.A.P."
    ORGANIC = "organic", _("Organic")
    HACCP = "haccp", "HACCP"
    ISO22000 = "iso22000", "ISO 22000"
    OTHER = "other", _("Other")


class EventKind(models.TextChoices):
    """Traceability events; each maps to a GS1 CBV business step (see ``BIZ_STEPS``)."""

    HARVEST = "harvest", _("Harvest")
    PROCESSING = "processing", _("Processing")
    PACKING = "packing", _("Packing")
    INSPECTION = "inspection", _("Inspection")
    DISPATCH = "dispatch", _("Dispatch")


BIZ_STEPS = {
    EventKind.HARVEST: "harvesting",
    EventKind.PROCESSING: "transforming",
    EventKind.PACKING: "packing",
    EventKind.INSPECTION: "inspecting",
    EventKind.DISPATCH: "shipping",
}


class BatchState(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved, waiting to be generated")
    GENERATING = "generating", _("Being generated")
    READY = "ready", _("Ready to print")
    FAILED = "failed", _("Generation failed")
    REJECTED = "rejected", _("Rejected")
    VOIDED = "voided", _("Voided")


class ApprovalLevel(models.TextChoices):
    COMMUNE = "commune", _("Commune officer")
    PROVINCE = "province", _("Province officer")


class Signal(models.TextChoices):
    """Why a scan page shows a warning instead of the green tick."""

    VOIDED = "voided", _("Voided stamp")
    TOO_MANY_SCANS = "too_many_scans", _("Scanned too many times")
    TOO_FAR_TOO_FAST = "too_far_too_fast", _("Scanned far apart too quickly")
    CERTIFICATE_INVALID = "certificate_invalid", _("Certificate not valid")
    LOT_EXPIRED = "lot_expired", _("Lot past its expiry date")


class ReportState(models.TextChoices):
    NEW = "new", _("New")
    REVIEWED = "reviewed", _("Reviewed")
