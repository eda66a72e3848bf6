"""The sample score sheets shipped in ``apps/evaluation/data/`` (labelled MẪU), loaded idempotently."""

import json
from pathlib import Path

from apps.evaluation.models import SheetTemplate
from apps.evaluation.sheet_io import sheet_import

# The samples ship with the evaluation app (its sheet import reads them in tests too).
DATA_DIR = Path(__file__).resolve().parent.parent / "evaluation" / "data"


def load_sample_sheets():
    """Import every sample sheet not yet loaded (same code and version). Returns the templates."""
    templates = []
    for path in sorted(DATA_DIR.glob("sheet-*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        existing = SheetTemplate.objects.filter(code=data["code"], version=data.get("version", 1)).first()
        templates.append(existing or sheet_import(data=data))
    return templates
