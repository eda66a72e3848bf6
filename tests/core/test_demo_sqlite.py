"""`make run` on a bare machine: migrations and the whole demo on the embedded SQLite file, tasks in-process."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings


@pytest.mark.slow
def test_demo_loads_on_sqlite_with_in_process_tasks(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "CELERY_", "REDIS_URL"))},
        "DJANGO_SETTINGS_MODULE": "ocop_portal.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        "OCOP_PRIVATE_STORAGE_ROOT": str(tmp_path / "private"),
        "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
    }

    def manage(*args):
        result = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr[-3000:]
        return result.stdout

    manage("migrate", "--noinput", "-v0")
    out = manage("seed_demo", "--seed-provinces-only")
    assert "xa.dakkoi@ocop.example" in out
    counts = manage(
        "shell",
        "-c",
        "from apps.certificates.models import Certificate;"
        "from apps.products.models import Product;"
        "print(Product.objects.count(), Certificate.objects.count(),"
        " Certificate.objects.exclude(render_state='ready').count())",
    )
    products, certificates, not_ready = map(int, counts.split()[-3:])
    assert products >= 100
    assert certificates >= 200
    assert not_ready == 0

    # Every state the demo reached went through its transition function, dated through the services' own ``at``.
    trail = manage("shell", "-c", (Path(__file__).parent / "scripts" / "demo_trail.py").read_text())
    assert "UNTRACED 0" in trail, trail[-3000:]

    # Every demo login opens every page of its navigation, and the public the catalogue's pages: all 200, in Vietnamese.
    crawl = manage("shell", "-c", (Path(__file__).parent / "scripts" / "demo_crawl.py").read_text())
    pages, failures = map(int, re.search(r"CRAWLED (\d+) FAILURES (\d+)", crawl).groups())
    assert failures == 0, crawl
    assert pages >= 100
