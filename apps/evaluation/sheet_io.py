"""Score sheets in and out as JSON or CSV, so a province can load the official annex text.

A sheet is validated as a whole before anything is written: the parts must be exactly those of the rule set,
each part's maximum must equal the rule set's, and the best options of each part's criteria must add up to it.
"""

import csv
import io
import json
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.audit.services import audit_record
from apps.core.enums import RuleSet
from apps.products.models import ProductSet

from .enums import PART_MAXIMA
from .models import Criterion, CriterionGroup, Option, SheetPart, SheetTemplate

MIN_OPTIONS = 2  # a criterion with one option scores nothing
CSV_COLUMNS = [
    "sheet_code",
    "version",
    "rule_set",
    "label",
    "is_sample",
    "product_sets",
    "part_code",
    "part_title",
    "part_max",
    "group_code",
    "group_title",
    "criterion_code",
    "criterion_text",
    "mandatory_for_stars",
    "option_code",
    "option_text",
    "points",
]


def _decimal(value, where, errors):
    try:
        return Decimal(str(value))
    except (InvalidOperation, TypeError):
        errors.append(_("%(where)s: “%(value)s” is not a number.") % {"where": where, "value": value})
        return Decimal(0)


def sheet_validate(data):
    """Return the list of problems with a sheet given as a dict (empty when it can be imported)."""
    errors = []
    rule_set = data.get("rule_set")
    if rule_set not in RuleSet.values:
        return [_("Unknown rule set “%(value)s”.") % {"value": rule_set}]
    if not data.get("code") or not data.get("label"):
        errors.append(_("The sheet needs a code and a label."))
    expected = PART_MAXIMA[rule_set]
    parts = data.get("parts") or []
    codes = [p.get("code") for p in parts]
    if sorted(codes) != sorted(expected):
        errors.append(
            _("The sheet must have exactly the parts %(expected)s; it has %(found)s.")
            % {"expected": ", ".join(expected), "found": ", ".join(str(c) for c in codes) or "—"}
        )
    criterion_codes = set()
    for part in parts:
        code = part.get("code")
        part_max = _decimal(part.get("max_points"), _("Part %(part)s") % {"part": code}, errors)
        if code in expected and part_max != expected[code]:
            errors.append(
                _("Part %(part)s must be worth %(expected)s points under this rule set, not %(found)s.")
                % {"part": code, "expected": _number(expected[code]), "found": _number(part_max)}
            )
        best_sum = Decimal(0)
        for group in part.get("groups") or []:
            for criterion in group.get("criteria") or []:
                ccode = criterion.get("code")
                if ccode in criterion_codes:
                    errors.append(_("Criterion code %(code)s is used twice.") % {"code": ccode})
                criterion_codes.add(ccode)
                options = criterion.get("options") or []
                if len(options) < MIN_OPTIONS:
                    errors.append(_("Criterion %(code)s needs at least two options.") % {"code": ccode})
                    continue
                points = [_decimal(o.get("points"), ccode, errors) for o in options]
                if min(points) < 0:
                    errors.append(_("Criterion %(code)s has an option with negative points.") % {"code": ccode})
                best_sum += max(points)
                level = criterion.get("mandatory_for_stars")
                if level not in (None, "", 2, 3, 4, 5, "2", "3", "4", "5"):
                    errors.append(_("Criterion %(code)s: mandatory star level must be 2 to 5.") % {"code": ccode})
        if best_sum != part_max:
            errors.append(
                _(
                    "Part %(part)s: the best options of its criteria add up to %(sum)s points, "
                    "not to the part's maximum of %(max)s points."
                )
                % {"part": code, "sum": _number(best_sum), "max": _number(part_max)}
            )
    missing_sets = set(data.get("product_sets") or []) - set(
        ProductSet.objects.filter(code__in=data.get("product_sets") or []).values_list("code", flat=True)
    )
    if missing_sets:
        errors.append(_("Unknown product sets: %(codes)s.") % {"codes": ", ".join(sorted(missing_sets))})
    if SheetTemplate.objects.filter(code=data.get("code"), version=data.get("version", 1)).exists():
        errors.append(
            _("Sheet %(code)s version %(version)s already exists; import the change as a new version.")
            % {"code": data.get("code"), "version": data.get("version", 1)}
        )
    return errors


@transaction.atomic
def sheet_import(*, data, by=None):
    """Create a sheet template from a dict (the JSON shape). Refuses the whole sheet on any problem."""
    errors = sheet_validate(data)
    if errors:
        raise ValidationError(errors)
    template = SheetTemplate.objects.create(
        code=data["code"],
        version=int(data.get("version", 1)),
        rule_set=data["rule_set"],
        label=data["label"],
        is_sample=bool(data.get("is_sample", False)),
    )
    template.product_sets.set(ProductSet.objects.filter(code__in=data.get("product_sets") or []))
    for p_order, part in enumerate(data["parts"]):
        sheet_part = SheetPart.objects.create(
            template=template,
            code=part["code"],
            title=part.get("title", ""),
            max_points=Decimal(str(part["max_points"])),
            order=p_order,
        )
        for g_order, group in enumerate(part.get("groups") or []):
            criteria_group = CriterionGroup.objects.create(
                part=sheet_part, code=group["code"], title=group.get("title", ""), order=g_order
            )
            for c_order, criterion in enumerate(group.get("criteria") or []):
                level = criterion.get("mandatory_for_stars")
                row = Criterion.objects.create(
                    template=template,
                    group=criteria_group,
                    code=criterion["code"],
                    text=criterion["text"],
                    mandatory_for_stars=int(level) if level not in (None, "") else None,
                    order=c_order,
                )
                Option.objects.bulk_create(
                    Option(
                        criterion=row,
                        code=str(option["code"]),
                        text=option["text"],
                        points=Decimal(str(option["points"])),
                        order=o_order,
                    )
                    for o_order, option in enumerate(criterion["options"])
                )
    if by is not None:
        audit_record(
            action="evaluation.sheet_imported",
            obj=template,
            by=by,
            after={"code": template.code, "version": template.version},
            unit=getattr(by, "unit", None),
        )
    return template


def sheet_to_dict(template):
    parts = []
    for part in template.parts.prefetch_related("groups__criteria__options").order_by("order"):
        parts.append(
            {
                "code": part.code,
                "title": part.title,
                "max_points": _number(part.max_points),
                "groups": [
                    {
                        "code": group.code,
                        "title": group.title,
                        "criteria": [
                            {
                                "code": c.code,
                                "text": c.text,
                                "mandatory_for_stars": c.mandatory_for_stars,
                                "options": [
                                    {"code": o.code, "text": o.text, "points": _number(o.points)}
                                    for o in c.options.all()
                                ],
                            }
                            for c in group.criteria.all()
                        ],
                    }
                    for group in part.groups.all()
                ],
            }
        )
    return {
        "code": template.code,
        "version": template.version,
        "rule_set": template.rule_set,
        "label": template.label,
        "is_sample": template.is_sample,
        "product_sets": sorted(template.product_sets.values_list("code", flat=True)),
        "parts": parts,
    }


def _number(value):
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def sheet_to_json(template):
    return json.dumps(sheet_to_dict(template), ensure_ascii=False, indent=2)


def sheet_to_csv(template):
    data = sheet_to_dict(template)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    head = {
        "sheet_code": data["code"],
        "version": data["version"],
        "rule_set": data["rule_set"],
        "label": data["label"],
        "is_sample": "1" if data["is_sample"] else "0",
        "product_sets": " ".join(data["product_sets"]),
    }
    for part in data["parts"]:
        for group in part["groups"]:
            for c in group["criteria"]:
                for o in c["options"]:
                    writer.writerow(
                        {
                            **head,
                            "part_code": part["code"],
                            "part_title": part["title"],
                            "part_max": part["max_points"],
                            "group_code": group["code"],
                            "group_title": group["title"],
                            "criterion_code": c["code"],
                            "criterion_text": c["text"],
                            "mandatory_for_stars": c["mandatory_for_stars"] or "",
                            "option_code": o["code"],
                            "option_text": o["text"],
                            "points": o["points"],
                        }
                    )
    return out.getvalue()


def sheet_dict_from_csv(text):
    """Rebuild the JSON shape from CSV rows (one row per option; the sheet columns repeat on every row)."""
    rows = list(csv.DictReader(io.StringIO(text)))
    if not rows:
        raise ValidationError(_("The CSV file has no rows."))
    missing = set(CSV_COLUMNS) - set(rows[0])
    if missing:
        raise ValidationError(_("The CSV file lacks the columns %(cols)s.") % {"cols": ", ".join(sorted(missing))})
    first = rows[0]
    data = {
        "code": first["sheet_code"],
        "version": int(first["version"] or 1),
        "rule_set": first["rule_set"],
        "label": first["label"],
        "is_sample": first["is_sample"].strip().lower() in ("1", "true", "yes", "có"),
        "product_sets": first["product_sets"].split(),
        "parts": [],
    }
    parts, groups, criteria = {}, {}, {}
    for row in rows:
        part = parts.get(row["part_code"])
        if part is None:
            part = {"code": row["part_code"], "title": row["part_title"], "max_points": row["part_max"], "groups": []}
            parts[row["part_code"]] = part
            data["parts"].append(part)
        group = groups.get((part["code"], row["group_code"]))
        if group is None:
            group = {"code": row["group_code"], "title": row["group_title"], "criteria": []}
            groups[(part["code"], row["group_code"])] = group
            part["groups"].append(group)
        criterion = criteria.get(row["criterion_code"])
        if criterion is None:
            criterion = {
                "code": row["criterion_code"],
                "text": row["criterion_text"],
                "mandatory_for_stars": row["mandatory_for_stars"] or None,
                "options": [],
            }
            criteria[row["criterion_code"]] = criterion
            group["criteria"].append(criterion)
        criterion["options"].append({"code": row["option_code"], "text": row["option_text"], "points": row["points"]})
    return data


def sheet_dict_from_file(path):
    with open(path, encoding="utf-8-sig") as fh:
        text = fh.read()
    if str(path).lower().endswith(".csv"):
        return sheet_dict_from_csv(text)
    return json.loads(text)
