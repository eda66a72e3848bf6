"""Building the shipped commune-successor and coordinate files from the ``vietnamadminunits`` package (MIT).

Run by ``manage.py refresh_reform_data`` (a maintainer's tool: the package is a development requirement only).
Imports never read the package: they read the two files written here, which are committed to the project.

- ``commune-successors-2025.csv.gz``: one row per (pre-2025 commune, 2025 commune it became part of). A wholly
  merged commune has one row; a commune split between several new ones has one row per candidate, exactly one
  of them ``is_default`` (the package's default). Old communes are matched to our 2024 list by official code; the
  few our list has but the package does not (communes merged in the months before the reform) are matched by an
  alias of a package commune of the same district, or by the same name in the same district. New communes are
  checked against the 2025 list of ``vietnam-provinces``.
- ``unit-coordinates.csv.gz``: a point (latitude, longitude) per unit of both editions.

Everything that does not agree with our two official lists goes to the report (returned and written beside the
data as ``commune-successors-2025-report.txt``).
"""

import csv
import gzip
import importlib.util
import io
import json
import sqlite3
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from apps.core.text import fold

DATA_DIR = Path(__file__).resolve().parent / "data"
THREE_TIER_CSV = DATA_DIR / "units-2024-three-tier.csv.gz"
PROVINCE_SUCCESSORS_CSV = DATA_DIR / "province-successors-2025.csv"
COMMUNE_SUCCESSORS_CSV = DATA_DIR / "commune-successors-2025.csv.gz"
COORDINATES_CSV = DATA_DIR / "unit-coordinates.csv.gz"
REPORT_TXT = DATA_DIR / "commune-successors-2025-report.txt"

SUCCESSOR_FIELDS = [
    "old_commune_code",
    "old_commune_name",
    "old_district_code",
    "old_province_code",
    "new_commune_code",
    "new_commune_name",
    "new_province_code",
    "is_default",
    "matched_by",
]
COORDINATE_FIELDS = ["edition", "level", "code", "latitude", "longitude"]


def package_data_dir():
    spec = importlib.util.find_spec("vietnamadminunits")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("The vietnamadminunits package is not installed: pip install -r requirements-dev.txt")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


@dataclass
class RefreshResult:
    rows: list
    coordinates: list
    report: list = field(default_factory=list)

    @property
    def old_communes(self):
        return len({r["old_commune_code"] for r in self.rows})

    @property
    def split_communes(self):
        counts = defaultdict(int)
        for r in self.rows:
            counts[r["old_commune_code"]] += 1
        return sum(1 for n in counts.values() if n > 1)


def _key(*parts):
    return "_".join(p or "" for p in parts)


def _two_tier_list():
    """{commune code: (name, province code)} of the 2025 list as ``vietnam-provinces`` ships it."""
    from vietnam_provinces import Ward  # noqa: PLC0415 — heavy: the 2025 list package is read only by refresh_reform_data

    return {f"{int(w.code):05d}": (w.name, f"{int(w.province_code):02d}") for w in Ward.iter_all()}


def build(*, data_dir=None, three_tier_csv=THREE_TIER_CSV, two_tier=None):
    """Compute the successor rows, the coordinates and the report (writes nothing)."""
    data_dir = Path(data_dir) if data_dir else package_data_dir()
    two_tier = two_tier if two_tier is not None else _two_tier_list()
    with gzip.open(three_tier_csv, "rt", encoding="utf-8") as fh:
        ours = {r["commune_code"]: r for r in csv.DictReader(fh)}
    db = sqlite3.connect(data_dir / "dataset.db")
    converter = json.loads((data_dir / "converter_2025.json").read_text(encoding="utf-8"))
    report = []
    with open(PROVINCE_SUCCESSORS_CSV, newline="", encoding="utf-8") as fh:
        province_successors = {r["province_code_2024"]: r["province_code_2025"] for r in csv.DictReader(fh)}

    legacy = {}  # package key → row
    legacy_by_district = defaultdict(list)
    coordinates = {}
    for row in db.execute(
        "SELECT provinceKey, districtKey, wardKey, ward, wardCode, districtCode, provinceCode, wardAlias,"
        " wardLat, wardLon, districtLat, districtLon, provinceLat, provinceLon FROM admin_units_legacy"
    ):
        pkey, dkey, wkey, name, code, dcode, pcode, alias, wlat, wlon, dlat, dlon, plat, plon = row
        coordinates[("2024", "province", pcode)] = (plat, plon)
        coordinates[("2024", "district", dcode)] = (dlat, dlon)
        if code is None:
            continue  # an island district without communes
        coordinates[("2024", "commune", code)] = (wlat, wlon)
        entry = {
            "key": _key(pkey, dkey, wkey),
            "name": name,
            "code": code,
            "district": dcode,
            "province": pcode,
            "aliases": set(json.loads(alias)) if alias else set(),
        }
        legacy[entry["key"]] = entry
        legacy_by_district[dcode].append(entry)

    new = {}  # (province key, ward key) → (code, name, province code)
    for pkey, wkey, code, name, pcode, wlat, wlon, plat, plon in db.execute(
        "SELECT provinceKey, wardKey, wardCode, ward, provinceCode, wardLat, wardLon, provinceLat, provinceLon"
        " FROM admin_units"
    ):
        new[(pkey, wkey)] = (code, name, pcode)
        coordinates[("2025", "province", pcode)] = (plat, plon)
        coordinates[("2025", "commune", code)] = (wlat, wlon)

    # Package key of an old commune → [(new code, is default)].
    targets = {}
    for new_pkey, wards in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_wkey, old_keys in wards.items():
            for old_key in old_keys:
                targets.setdefault(old_key, []).append((new[(new_pkey, new_wkey)][0], True))
    for new_pkey, olds in converter["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, candidates in olds.items():
            targets[old_key] = [(new[(new_pkey, c["newWardKey"])][0], bool(c["isDefaultNewWard"])) for c in candidates]
    new_by_code = {code: (name, pcode) for code, name, pcode in new.values()}
    resolved = _resolve_new_codes(new_by_code, two_tier, report)
    by_code = {e["code"]: e for e in legacy.values()}

    rows = []
    for code, our in sorted(ours.items()):
        entry, matched_by = by_code.get(code), "code"
        if entry is not None and entry["district"] != our["district_code"]:
            report.append(
                f"district mismatch {code} {our['commune_name']}: ours {our['district_code']}, "
                f"package {entry['district']}"
            )
        if entry is None:
            entry, matched_by = _match_missing(our, legacy_by_district[our["district_code"]])
            if entry is None:
                # No trace in the package: it goes where its nearest neighbours (by code, same district) went; when
                # they went to different 2025 communes it is a split, which a province officer assigns record by
                # record.
                neighbours = _neighbours(code, legacy_by_district[our["district_code"]])
                seen = []
                for neighbour in neighbours:
                    for target, _default in targets.get(neighbour["key"], []):
                        if target not in seen:
                            seen.append(target)
                if not seen:
                    report.append(f"UNMATCHED {code} {our['commune_name']}: no package commune, no neighbour")
                    continue
                default = next(t for t, d in targets[neighbours[0]["key"]] if d)
                synthetic = _key("neighbours", code)
                targets[synthetic] = [(t, t == default) for t in seen]
                entry = {**neighbours[0], "key": synthetic}
                matched_by = "neighbours"
                report.append(
                    f"NO PACKAGE COMMUNE {code} {our['commune_name']} ({our['district_name']}, "
                    f"{our['province_name']}): follows its neighbours' 2025 communes"
                )
            if ("2024", "commune", entry["code"]) in coordinates:
                coordinates[("2024", "commune", code)] = coordinates[("2024", "commune", entry["code"])]
            report.append(
                f"matched by {matched_by}: ours {code} {our['commune_name']} → package {entry['code']} "
                f"{entry['name']} (same district {our['district_code']})"
            )
        elif fold(entry["name"]) != fold(our["commune_name"]):
            report.append(f"name differs {code}: ours {our['commune_name']!r}, package {entry['name']!r}")
        if entry["province"] != our["province_code"]:
            report.append(f"province mismatch {code}: ours {our['province_code']}, package {entry['province']}")
        candidates = targets.get(entry["key"])
        if not candidates:
            report.append(f"UNMAPPED {code} {our['commune_name']}: the package gives no 2025 commune")
            continue
        if sum(d for _, d in candidates) != 1:
            report.append(f"default count {code}: {sum(d for _, d in candidates)} defaults")
        for package_code, is_default in candidates:
            new_code = resolved.get(package_code)
            if new_code is None:
                report.append(
                    f"UNRESOLVED 2025 commune {package_code} {new_by_code[package_code][0]} (target of {code})"
                )
                continue
            listed = two_tier[new_code]
            if province_successors.get(our["province_code"]) != listed[1]:
                report.append(
                    f"province mismatch {code} {our['commune_name']} → {new_code} {listed[0]}: "
                    f"old province {our['province_code']} became {province_successors.get(our['province_code'])}, "
                    f"the commune is in {listed[1]}"
                )
            rows.append(
                {
                    "old_commune_code": code,
                    "old_commune_name": our["commune_name"],
                    "old_district_code": our["district_code"],
                    "old_province_code": our["province_code"],
                    "new_commune_code": new_code,
                    "new_commune_name": listed[0],
                    "new_province_code": listed[1],
                    "is_default": "1" if is_default else "0",
                    "matched_by": matched_by,
                }
            )
    for (edition, level, package_code), point in list(coordinates.items()):
        if edition == "2025" and level == "commune":
            del coordinates[(edition, level, package_code)]
            if package_code in resolved:
                coordinates[(edition, level, resolved[package_code])] = point
    coords = [
        {"edition": e, "level": lvl, "code": c, "latitude": f"{lat:.5f}", "longitude": f"{lon:.5f}"}
        for (e, lvl, c), (lat, lon) in sorted(coordinates.items())
        if lat is not None and lon is not None and c is not None and (e != "2024" or lvl != "commune" or c in ours)
    ]
    return RefreshResult(rows=rows, coordinates=coords, report=report)


_PUNCTUATION = str.maketrans("", "", "'’‘ʼ`-–— ")


def _norm(name):
    """A name to compare across sources: no case, diacritics, apostrophes, dashes or spaces ("Cư M’gar" = "cumgar")."""
    return fold(name).translate(_PUNCTUATION)


def _same(a, b):
    return unicodedata.normalize("NFC", a).casefold() == unicodedata.normalize("NFC", b).casefold()


def _resolve_new_codes(package, two_tier, report):
    """{package 2025 code: code of the 2025 list}. The package numbered 114 communes differently from the final
    list, so a code is trusted only when the name agrees; otherwise the same name in the same province decides."""
    by_name = defaultdict(list)
    by_folded = defaultdict(list)
    for code, (name, province) in two_tier.items():
        by_name[(province, unicodedata.normalize("NFC", name).casefold())].append(code)
        by_folded[(province, _norm(name))].append(code)
    resolved = {}
    for code, (name, province) in sorted(package.items()):
        listed = two_tier.get(code)
        if listed is not None and listed[1] == province and _same(listed[0], name):
            resolved[code] = code
            continue
        found = by_name.get((province, unicodedata.normalize("NFC", name).casefold()), [])
        if len(found) != 1:
            found = by_folded.get((province, _norm(name)), [])
        if len(found) == 1:
            resolved[code] = found[0]
            report.append(f"2025 code differs: package {code} {name} is {found[0]} in the 2025 list")
        else:
            report.append(f"2025 commune not in the list: package {code} {name} (province {province})")
    return resolved


def _match_missing(our, district_entries):
    """A commune our list has but the package does not: it was merged into a neighbour before July 2025."""
    name_key = _norm(our["commune_name"])
    by_alias = [e for e in district_entries if name_key in {_norm(a) for a in e["aliases"]}]
    if len(by_alias) == 1:
        return by_alias[0], "alias"
    by_name = [e for e in district_entries if _norm(e["name"]) == name_key]
    if len(by_name) == 1:
        return by_name[0], "name"
    return None, None


def _neighbours(code, district_entries):
    """The package communes of the same district with the nearest codes below and above ``code`` (nearest first)."""
    below = [e for e in district_entries if e["code"] < code]
    above = [e for e in district_entries if e["code"] > code]
    found = []
    if below:
        found.append(max(below, key=lambda e: e["code"]))
    if above:
        found.append(min(above, key=lambda e: e["code"]))
    return sorted(found, key=lambda e: abs(int(e["code"]) - int(code)))


def _write_csv_gz(path, fieldnames, rows):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fieldnames, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    # mtime=0: the same data gives the same bytes, so a refresh with no change leaves git clean.
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as gz:
        gz.write(buffer.getvalue().encode("utf-8"))


def write(result, *, data_dir=DATA_DIR):
    data_dir = Path(data_dir)
    _write_csv_gz(data_dir / COMMUNE_SUCCESSORS_CSV.name, SUCCESSOR_FIELDS, result.rows)
    _write_csv_gz(data_dir / COORDINATES_CSV.name, COORDINATE_FIELDS, result.coordinates)
    (data_dir / REPORT_TXT.name).write_text(
        f"{result.old_communes} old communes mapped, {result.split_communes} split; "
        f"{len(result.report)} remarks\n" + "".join(line + "\n" for line in result.report),
        encoding="utf-8",
    )


def read_successors(path=COMMUNE_SUCCESSORS_CSV):
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def read_coordinates(path=COORDINATES_CSV):
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))
