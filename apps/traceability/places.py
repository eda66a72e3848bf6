"""Where a scan came from, coarsely: the client's address (behind a known number of proxies) and, when a GeoIP2
City database is configured (``OCOP_GEOIP_CITY_DATABASE``, package ``geoip2``), its province and city point."""

import functools
import logging

from django.conf import settings

logger = logging.getLogger(__name__)


def client_address(request):
    proxies = settings.REST_FRAMEWORK.get("NUM_PROXIES") or 0
    if proxies:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        if forwarded:
            return forwarded[-min(proxies, len(forwarded))]
    return request.META.get("REMOTE_ADDR", "")


@functools.cache
def _reader(path):
    try:
        import geoip2.database  # noqa: PLC0415 — optional: geoip2 is installed only where a GeoLite database is configured
        from maxminddb import InvalidDatabaseError  # noqa: PLC0415 — geoip2's own dependency, optional with it
    except ImportError:
        logger.warning("OCOP_GEOIP_CITY_DATABASE is set but the geoip2 package is not installed; scans are not placed")
        return None
    try:
        return geoip2.database.Reader(path)
    except (OSError, ValueError, InvalidDatabaseError):
        # A missing, truncated or foreign file: scans go on unplaced; never an error page for the shopper.
        logger.warning("OCOP_GEOIP_CITY_DATABASE %s cannot be read as a GeoIP2 database; scans are not placed", path)
        return None


def locate(address):
    """``{"region", "latitude", "longitude"}`` (rounded to 0.1°, about 10 km) or None."""
    path = settings.OCOP_GEOIP_CITY_DATABASE
    reader = _reader(path) if path and address else None
    if reader is None:
        return None
    try:
        found = reader.city(address)
    except Exception:  # noqa: BLE001 - unknown or private address: no place, never an error page
        return None
    if found.location.latitude is None:
        return None
    return {
        "region": found.subdivisions.most_specific.name or found.city.name or "",
        "latitude": round(found.location.latitude, 1),
        "longitude": round(found.location.longitude, 1),
    }
