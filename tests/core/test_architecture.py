"""The layers contract (pyproject.toml, README "Architecture"): apps import only the layers below them."""

import subprocess
import sys
from pathlib import Path

import grimp
from django.conf import settings

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def test_the_import_layers_contract_is_kept():
    result = subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=settings.BASE_DIR, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout[-3000:]
    assert "Contracts: 1 kept, 0 broken." in result.stdout


def test_demo_code_lives_only_in_apps_demo():
    apps_dir = Path(settings.BASE_DIR, "apps")
    offenders = [
        str(path.relative_to(apps_dir))
        for path in apps_dir.rglob("*.py")
        if path.relative_to(apps_dir).parts[0] != "demo"
        and (path.name.startswith("demo") or "apps.demo" in path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_no_import_cycle_between_apps_modules():
    graph = grimp.build_graph("apps", cache_dir=None)
    cycles = [
        (importer, imported)
        for importer in sorted(graph.modules)
        for imported in graph.find_modules_directly_imported_by(importer)
        if importer.split(".")[1] != imported.split(".")[1]
        and graph.find_shortest_chain(importer=imported, imported=importer)
    ]
    assert cycles == []
