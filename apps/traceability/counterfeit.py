"""The counterfeit signals of a stamp: pure rules over the stamp, its latest scans and the official record."""

import math
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone

from apps.certificates.enums import CertificateStatus

from .enums import Signal

EARTH_RADIUS_KM = 6371.0


def distance_km(lat1, lon1, lat2, lon2):
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(float(lat1)), math.radians(float(lat2))
    dp, dl = p2 - p1, math.radians(float(lon2) - float(lon1))
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def too_far_too_fast(previous, current):
    """Two scans (objects with latitude, longitude, scanned_at) no single package could have made.

    Flagged when they are more than OCOP_STAMP_MIN_DISTANCE_KM apart and the speed needed to carry the package
    from one to the other exceeds OCOP_STAMP_MAX_SPEED_KMH. Scans without a place never count.
    """
    if previous is None or current is None:
        return False
    if None in (previous.latitude, previous.longitude, current.latitude, current.longitude):
        return False
    km = distance_km(previous.latitude, previous.longitude, current.latitude, current.longitude)
    if km <= settings.OCOP_STAMP_MIN_DISTANCE_KM:
        return False
    hours = abs((current.scanned_at - previous.scanned_at).total_seconds()) / 3600
    if hours == 0:
        return True
    return km / hours > settings.OCOP_STAMP_MAX_SPEED_KMH


def too_many_scans(count):
    return count > settings.OCOP_STAMP_SCAN_LIMIT


@dataclass
class Verdict:
    signals: list = field(default_factory=list)

    @property
    def genuine(self):
        return not self.signals

    def __contains__(self, signal):
        return signal in self.signals


def static_signals(*, stamp, lot, certificate_status, today):
    """The signals that do not depend on the scans: they change only with the stamp's, the lot's and the
    certificate's rows and with the date (the cached scan page keeps them, see ``scanbuffer.scan_read``)."""
    signals = []
    if stamp.voided_at is not None:
        signals.append(Signal.VOIDED)
    if certificate_status != CertificateStatus.VALID:
        signals.append(Signal.CERTIFICATE_INVALID)
    if lot is not None and lot.is_expired(today):
        signals.append(Signal.LOT_EXPIRED)
    return signals


def assess(*, stamp, batch, lot, certificate_status, scan_count, previous_scan=None, current_scan=None, today=None):
    """The signals to show, most serious first: the static ones, then those of the scans."""
    today = today or timezone.localdate()
    verdict = Verdict(signals=static_signals(stamp=stamp, lot=lot, certificate_status=certificate_status, today=today))
    if too_many_scans(scan_count):
        verdict.signals.append(Signal.TOO_MANY_SCANS)
    if too_far_too_fast(previous_scan, current_scan):
        verdict.signals.append(Signal.TOO_FAR_TOO_FAST)
    return verdict
