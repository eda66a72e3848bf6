"""The sample score sheets shipped in ``apps/evaluation/data/`` (labelled MẪU), loaded idempotently."""

import json
from pathlib import Path

from .models import SheetTemplate
from .sheet_io import sheet_import

DATA_DIR = Path(__file__).resolve().parent / "data"


def load_sample_sheets():
    """Import every sample sheet not yet loaded (same code and version). Returns the templates."""
    templates = []
    for path in sorted(DATA_DIR.glob("sheet-*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        existing = SheetTemplate.objects.filter(code=data["code"], version=data.get("version", 1)).first()
        templates.append(existing or sheet_import(data=data))
    return templates
