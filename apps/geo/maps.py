"""Maps drawn on the server as SVG from the units' representative points: no tile service, no script, no network.

The land is suggested by the 2025 communes themselves (one tiny square per point, merged on a coarse grid), and
markers are circles whose area follows a count. The projection is equirectangular, corrected for latitude, which
is faithful enough at Vietnam's scale.
"""

import functools
import math
from dataclasses import dataclass, field

from django.core.cache import cache

from . import reform_data
from .enums import Edition, Level
from .models import AdministrativeUnit

# Mainland Vietnam and its near islands (lon min, lat min, lon max, lat max); far islands are drawn at the edge.
VIETNAM_BOUNDS = (102.1, 8.4, 109.6, 23.45)
BACKGROUND_CACHE_SECONDS = 60 * 60 * 24


@dataclass(frozen=True)
class Marker:
    x: float
    y: float
    r: float
    label: str
    count: int
    href: str = ""
    highlight: bool = False


@dataclass(frozen=True)
class SvgMap:
    width: int
    height: int
    land: str
    markers: list = field(default_factory=list)
    title: str = ""


class Projection:
    def __init__(self, bounds, width):
        self.lon0, self.lat0, self.lon1, self.lat1 = bounds
        self.k = math.cos(math.radians((self.lat0 + self.lat1) / 2))
        self.scale = width / max((self.lon1 - self.lon0) * self.k, 1e-6)
        self.width = width
        self.height = max(round((self.lat1 - self.lat0) * self.scale), 1)

    def xy(self, lat, lon):
        lat = min(max(lat, self.lat0), self.lat1)
        lon = min(max(lon, self.lon0), self.lon1)
        return round((lon - self.lon0) * self.k * self.scale, 1), round((self.lat1 - lat) * self.scale, 1)


def bounds_of(points, *, pad=0.08, minimum=0.25):
    """A box around ``points`` ((lat, lon) pairs), ``pad`` of its size on each side, at least ``minimum`` degrees."""
    if not points:
        return VIETNAM_BOUNDS
    lats = [p[0] for p in points]
    lons = [p[1] for p in points]
    lat_c, lon_c = (min(lats) + max(lats)) / 2, (min(lons) + max(lons)) / 2
    half_lat = max((max(lats) - min(lats)) * (0.5 + pad), minimum / 2)
    half_lon = max((max(lons) - min(lons)) * (0.5 + pad), minimum / 2)
    return (lon_c - half_lon, lat_c - half_lat, lon_c + half_lon, lat_c + half_lat)


def land_path(points, projection, *, cell=4):
    """One ``<path>`` of small squares, one per occupied ``cell``-pixel grid cell (a few KB for the country)."""
    cells = set()
    for lat, lon in points:
        x, y = projection.xy(lat, lon)
        cells.add((int(x // cell), int(y // cell)))
    return "".join(f"M{cx * cell} {cy * cell}h{cell}v{cell}h-{cell}z" for cx, cy in sorted(cells))


@functools.lru_cache(maxsize=1)
def country_points():
    """(lat, lon) of every 2025 commune, from the shipped file: the country's shape does not depend on which
    units an installation loaded (no query)."""
    return tuple(
        (float(r["latitude"]), float(r["longitude"]))
        for r in reform_data.read_coordinates()
        if r["edition"] == Edition.TWO_TIER_2025 and r["level"] == Level.COMMUNE
    )


def unit_points(*, edition=Edition.TWO_TIER_2025, level=Level.COMMUNE, parent_path=None):
    """(lat, lon) of the loaded units of an edition and level under ``parent_path`` (the whole country: the shipped
    points), cached for a day (one query)."""
    if parent_path is None and edition == Edition.TWO_TIER_2025 and level == Level.COMMUNE:
        return country_points()
    key = f"geo:points:{edition}:{level}:{parent_path or ''}"
    points = cache.get(key)
    if points is None:
        qs = AdministrativeUnit.objects.filter(edition=edition, level=level, latitude__isnull=False)
        if parent_path:
            qs = qs.filter(path__startswith=parent_path)
        points = [(float(lat), float(lon)) for lat, lon in qs.values_list("latitude", "longitude")]
        cache.set(key, points, BACKGROUND_CACHE_SECONDS)
    return points


def draw(*, land_points, markers, width=320, bounds=None, max_radius=14, cell=4, title=""):
    """An :class:`SvgMap`: ``markers`` are dicts with lat, lon, count, label and optionally href, highlight."""
    projection = Projection(bounds or VIETNAM_BOUNDS, width)
    top = max((m["count"] for m in markers), default=0) or 1
    drawn = []
    for m in sorted(markers, key=lambda m: -m["count"]):  # big first, so small ones stay on top and clickable
        x, y = projection.xy(m["lat"], m["lon"])
        r = max(2.5, round(max_radius * math.sqrt(m["count"] / top), 1)) if m["count"] else 2.5
        drawn.append(Marker(x, y, r, m["label"], m["count"], m.get("href", ""), m.get("highlight", False)))
    return SvgMap(
        width=projection.width,
        height=projection.height,
        land=land_path(land_points, projection, cell=cell),
        markers=drawn,
        title=title,
    )
