"""Importing the two official editions of administrative units. Every import is an idempotent upsert."""

import csv
import gzip
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from . import reform_data
from .enums import EDITION_VALIDITY, DivisionType, Edition, Level
from .models import AdministrativeUnit, SuccessorCandidate

DATA_DIR = Path(__file__).resolve().parent / "data"
THREE_TIER_CSV = DATA_DIR / "units-2024-three-tier.csv.gz"
# Five island districts had no commune-level units in the 2024 list, so the commune CSV cannot name them.
DISTRICTS_WITHOUT_COMMUNES_CSV = DATA_DIR / "districts-without-communes-2024.csv"

_NAME_PREFIXES = [
    # Longest prefixes first: "Thành phố" is a province or a district depending on the level.
    ("Thành phố", {Level.PROVINCE: DivisionType.THANH_PHO_TW, Level.DISTRICT: DivisionType.THANH_PHO}),
    ("Tỉnh", {Level.PROVINCE: DivisionType.TINH}),
    ("Huyện", {Level.DISTRICT: DivisionType.HUYEN}),
    ("Quận", {Level.DISTRICT: DivisionType.QUAN}),
    ("Thị xã", {Level.DISTRICT: DivisionType.THI_XA}),
    ("Thị trấn", {Level.COMMUNE: DivisionType.THI_TRAN}),
    ("Phường", {Level.COMMUNE: DivisionType.PHUONG}),
    ("Xã", {Level.COMMUNE: DivisionType.XA}),
    ("Đặc khu", {Level.COMMUNE: DivisionType.DAC_KHU}),
]

_PACKAGE_TYPES = {
    "tỉnh": DivisionType.TINH,
    "thành phố trung ương": DivisionType.THANH_PHO_TW,
    "xã": DivisionType.XA,
    "phường": DivisionType.PHUONG,
    "đặc khu": DivisionType.DAC_KHU,
}


def division_type_from_name(name: str, level: Level) -> DivisionType:
    for prefix, by_level in _NAME_PREFIXES:
        # The official list is not consistent in case ("Thành Phố Bắc Kạn").
        if name.casefold().startswith(prefix.casefold() + " ") and level in by_level:
            return by_level[level]
    raise ValueError(f"Cannot tell the division type of {name!r} at level {level}")


@dataclass(frozen=True)
class ImportResult:
    provinces: int
    districts: int
    communes: int


# code -> (unit id, unit path)
UnitIds = dict[str, tuple[int, str]]


def _upsert(edition: str, level: str, rows: Iterable[tuple[str, str, str, str | None]], parents: UnitIds) -> UnitIds:
    """rows: (code, name, division_type, parent_code or None). Returns {code: unit id}."""
    valid_from, valid_until = EDITION_VALIDITY[Edition(edition)]
    objs = []
    for code, name, division_type, parent_code in rows:
        parent = parents[parent_code] if parent_code else None
        objs.append(
            AdministrativeUnit(
                edition=edition,
                level=level,
                code=code,
                name=name,
                division_type=division_type,
                parent_id=parent[0] if parent else None,
                path=(parent[1] if parent else f"{edition}/") + f"{code}/",
                valid_from=valid_from,
                valid_until=valid_until,
            )
        )
    AdministrativeUnit.objects.bulk_create(
        objs,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["edition", "level", "code"],
        update_fields=["name", "division_type", "parent", "path", "valid_from", "valid_until"],
    )
    return {
        code: (pk, path)
        for code, pk, path in AdministrativeUnit.objects.filter(edition=edition, level=level).values_list(
            "code", "pk", "path"
        )
    }


@transaction.atomic
def units_import_three_tier(
    *, path: Path = THREE_TIER_CSV, province_codes: Iterable[str] | None = None
) -> ImportResult:
    """Load the pre-July-2025 list (63 provinces, 696 districts, 10,051 communes)."""
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if not province_codes or r["province_code"] in province_codes]
    with open(DISTRICTS_WITHOUT_COMMUNES_CSV, encoding="utf-8") as fh:
        extra = [r for r in csv.DictReader(fh) if not province_codes or r["province_code"] in province_codes]

    provinces = {r["province_code"]: r["province_name"] for r in rows}
    districts = {r["district_code"]: (r["district_name"], r["province_code"]) for r in rows}
    districts.update({r["district_code"]: (r["district_name"], r["province_code"]) for r in extra})
    edition = Edition.THREE_TIER_2024
    p_ids = _upsert(
        edition,
        Level.PROVINCE,
        [(c, n, division_type_from_name(n, Level.PROVINCE), None) for c, n in provinces.items()],
        {},
    )
    d_ids = _upsert(
        edition,
        Level.DISTRICT,
        [(c, n, division_type_from_name(n, Level.DISTRICT), p) for c, (n, p) in districts.items()],
        p_ids,
    )
    _upsert(
        edition,
        Level.COMMUNE,
        [
            (
                r["commune_code"],
                r["commune_name"],
                division_type_from_name(r["commune_name"], Level.COMMUNE),
                r["district_code"],
            )
            for r in rows
        ],
        d_ids,
    )
    units_link_successors()
    units_link_commune_successors()
    units_load_coordinates()
    return _count(edition)


@transaction.atomic
def units_import_two_tier(*, province_codes: Iterable[str] | None = None) -> ImportResult:
    """Load the list in force since 1 July 2025 (34 provinces, 3,321 communes) from ``vietnam-provinces``."""
    from vietnam_provinces import Province, Ward  # noqa: PLC0415 — heavy: the 2025 list package is read only by the 2025 import

    edition = Edition.TWO_TIER_2025
    provinces = [p for p in Province.iter_all() if not province_codes or f"{int(p.code):02d}" in province_codes]
    p_ids = _upsert(
        edition,
        Level.PROVINCE,
        [(f"{int(p.code):02d}", p.name, _PACKAGE_TYPES[p.division_type.value], None) for p in provinces],
        {},
    )
    wards = [w for w in Ward.iter_all() if f"{int(w.province_code):02d}" in p_ids]
    _upsert(
        edition,
        Level.COMMUNE,
        [
            (f"{int(w.code):05d}", w.name, _PACKAGE_TYPES[w.division_type.value], f"{int(w.province_code):02d}")
            for w in wards
        ],
        p_ids,
    )
    units_link_successors()
    units_link_commune_successors()
    units_load_coordinates()
    return _count(edition)


SUCCESSORS_CSV = DATA_DIR / "province-successors-2025.csv"


def units_link_successors(*, path: Path = SUCCESSORS_CSV) -> int:
    """Point each loaded pre-2025 province at the 2025 province it became part of. Returns how many are linked."""
    with open(path, newline="", encoding="utf-8") as f:
        pairs = {row["province_code_2024"]: row["province_code_2025"] for row in csv.DictReader(f)}
    provinces = AdministrativeUnit.objects.filter(level=Level.PROVINCE)
    new = {u.code: u for u in provinces.filter(edition=Edition.TWO_TIER_2025)}
    changed = []
    for old in provinces.filter(edition=Edition.THREE_TIER_2024):
        successor = new.get(pairs.get(old.code, ""))
        if successor is not None and old.successor_id != successor.pk:
            old.successor = successor
            changed.append(old)
    AdministrativeUnit.objects.bulk_update(changed, ["successor"])
    return provinces.filter(successor__isnull=False).count()


@dataclass(frozen=True)
class CommuneLinkResult:
    linked: int
    split: int
    candidates: int
    changed: int


def units_link_commune_successors(
    *, path: Path = reform_data.COMMUNE_SUCCESSORS_CSV, unit_model: Any = None, candidate_model: Any = None
) -> CommuneLinkResult:
    """Point each loaded pre-2025 commune at the 2025 commune it became part of (the default one when split), and
    keep every candidate of a split commune. Matched by edition + code on both sides; idempotent.

    ``unit_model``/``candidate_model``: the historical models when a migration calls this.
    """
    unit_model = unit_model or AdministrativeUnit
    candidate_model = candidate_model or SuccessorCandidate
    by_old: dict[str, list[tuple[str, bool]]] = {}
    for row in reform_data.read_successors(path):
        by_old.setdefault(row["old_commune_code"], []).append((row["new_commune_code"], row["is_default"] == "1"))
    communes = unit_model.objects.filter(level=Level.COMMUNE)
    new = dict(communes.filter(edition=Edition.TWO_TIER_2025).values_list("code", "pk"))
    if not new:
        return CommuneLinkResult(0, 0, 0, 0)
    changed = []
    wanted_candidates: set[tuple[int, int, bool]] = set()
    for old in communes.filter(edition=Edition.THREE_TIER_2024).only("pk", "code", "successor", "split_on_reform"):
        targets = [(new[c], d) for c, d in by_old.get(old.code, []) if c in new]
        default = next((pk for pk, d in targets if d), None)
        split = len(by_old.get(old.code, [])) > 1
        if split:
            wanted_candidates.update((old.pk, pk, d) for pk, d in targets)
        if old.successor_id != default or old.split_on_reform != split:
            old.successor_id, old.split_on_reform = default, split
            changed.append(old)
    unit_model.objects.bulk_update(changed, ["successor", "split_on_reform"], batch_size=2000)
    existing = set(candidate_model.objects.values_list("unit_id", "candidate_id", "is_default"))
    stale = existing - wanted_candidates
    if stale:
        stale_pairs = {(u, c) for u, c, _ in stale}
        candidate_model.objects.filter(
            pk__in=[
                pk
                for pk, u, c in candidate_model.objects.values_list("pk", "unit_id", "candidate_id")
                if (u, c) in stale_pairs
            ]
        ).delete()
    candidate_model.objects.bulk_create(
        [candidate_model(unit_id=u, candidate_id=c, is_default=d) for u, c, d in wanted_candidates - existing],
        batch_size=2000,
    )
    old_communes = communes.filter(edition=Edition.THREE_TIER_2024)
    return CommuneLinkResult(
        linked=old_communes.filter(successor__isnull=False).count(),
        split=old_communes.filter(split_on_reform=True).count(),
        candidates=candidate_model.objects.count(),
        changed=len(changed) + len(stale) + len(wanted_candidates - existing),
    )


def units_load_coordinates(*, path: Path = reform_data.COORDINATES_CSV, unit_model: Any = None) -> int:
    """Set each loaded unit's representative point from the shipped coordinates (idempotent)."""
    unit_model = unit_model or AdministrativeUnit
    points = {
        (r["edition"], r["level"], r["code"]): (float(r["latitude"]), float(r["longitude"]))
        for r in reform_data.read_coordinates(path)
    }
    changed = []
    for unit in unit_model.objects.only("pk", "edition", "level", "code", "latitude", "longitude"):
        point = points.get((unit.edition, unit.level, unit.code))
        if point is not None and (unit.latitude, unit.longitude) != point:
            unit.latitude, unit.longitude = point
            changed.append(unit)
    unit_model.objects.bulk_update(changed, ["latitude", "longitude"], batch_size=2000)
    return len(changed)


def _count(edition: str) -> ImportResult:
    qs = AdministrativeUnit.objects.filter(edition=edition)
    return ImportResult(
        provinces=qs.filter(level=Level.PROVINCE).count(),
        districts=qs.filter(level=Level.DISTRICT).count(),
        communes=qs.filter(level=Level.COMMUNE).count(),
    )
