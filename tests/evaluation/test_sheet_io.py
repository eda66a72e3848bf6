"""Score sheets in and out: JSON and CSV round trips, and refusal of sheets whose parts do not add up."""

import copy
import json
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import translation

from apps.core.enums import RuleSet
from apps.demo.sheets import DATA_DIR, load_sample_sheets
from apps.evaluation.models import Criterion, CriterionGroup, Option, SheetPart, SheetTemplate
from apps.evaluation.sheet_io import sheet_dict_from_csv, sheet_import, sheet_to_csv, sheet_to_dict

pytestmark = pytest.mark.django_db


def _sample():
    return json.loads((DATA_DIR / "sheet-qd148-tp.json").read_text(encoding="utf-8"))


def _counts():
    return (
        SheetTemplate.objects.count(),
        SheetPart.objects.count(),
        CriterionGroup.objects.count(),
        Criterion.objects.count(),
        Option.objects.count(),
    )


def test_sample_sheets_load_for_every_group_and_are_idempotent():
    first = load_sample_sheets()
    again = load_sample_sheets()
    assert [t.pk for t in first] == [t.pk for t in again]
    assert len(first) == 6
    assert all(t.is_sample and "MẪU" in t.label for t in first)
    assert SheetTemplate.objects.filter(product_sets__code="DV01").count() == 1


def test_import_wrong_part_maximum_refused_and_nothing_imported():
    data = _sample()
    data["parts"][0]["groups"][0]["criteria"][0]["options"][-1]["points"] = 5  # A now adds up to 43
    before = _counts()
    with translation.override("vi"), pytest.raises(ValidationError) as exc:
        sheet_import(data=data)
    assert _counts() == before
    assert (
        "Phần A: tổng điểm cao nhất của các tiêu chí là 43 điểm, không bằng điểm tối đa của phần là 40 điểm."
        in exc.value.messages
    )


def test_import_1048_sheet_needs_a35_b25_c40():
    data = _sample()
    data["rule_set"] = RuleSet.QD1048_2019
    data["code"] = "thu-1048"
    with pytest.raises(ValidationError) as exc:
        sheet_import(data=data)
    assert len([m for m in exc.value.messages if "A" in m or "C" in m]) >= 2
    assert SheetTemplate.objects.filter(code="thu-1048").count() == 0


def test_import_missing_part_refused():
    data = _sample()
    data["parts"] = data["parts"][:2]
    with pytest.raises(ValidationError):
        sheet_import(data=data)
    assert SheetTemplate.objects.count() == 0


def test_csv_round_trip_gives_the_same_sheet():
    template = sheet_import(data=_sample())
    data = sheet_dict_from_csv(sheet_to_csv(template))
    expected = copy.deepcopy(sheet_to_dict(template))
    data["code"], data["version"] = expected["code"], 2
    clone = sheet_import(data=data)
    result = sheet_to_dict(clone)
    assert result["parts"] == expected["parts"]
    assert result["product_sets"] == expected["product_sets"]


def test_import_command_refuses_bad_file(tmp_path):
    data = _sample()
    data["parts"][2]["max_points"] = 30
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_score_sheet", str(path))
    assert SheetTemplate.objects.count() == 0


def test_export_then_import_command_csv(tmp_path):
    sheet_import(data=_sample())
    out = StringIO()
    call_command("export_score_sheet", "mau-qd148-tp", "--format", "csv", stdout=out)
    text = out.getvalue().replace("mau-qd148-tp,1,", "mau-qd148-tp-copy,1,")
    path = tmp_path / "sheet.csv"
    path.write_text(text, encoding="utf-8")
    call_command("import_score_sheet", str(path), stdout=StringIO())
    copy_ = SheetTemplate.objects.get(code="mau-qd148-tp-copy")
    assert copy_.criteria.count() == SheetTemplate.objects.get(code="mau-qd148-tp").criteria.count()
