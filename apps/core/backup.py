"""Backups: the database (``pg_dump`` custom format, or the SQLite file) plus the private and media files, with a
manifest of row counts and file checksums; and their restore into a fresh database, checked against the manifest.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.utils import timezone

MANIFEST = "manifest.json"
FILE_AREAS = {"private": "PRIVATE_STORAGE_ROOT", "media": "MEDIA_ROOT"}


class BackupError(Exception):
    pass


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def file_checksums(root):
    root = Path(root)
    if not root.is_dir():
        return {}
    return {str(path.relative_to(root)): _sha256(path) for path in sorted(root.rglob("*")) if path.is_file()}


def row_counts():
    """Rows per table of every installed model (the manifest's check that a restore is complete)."""
    counts = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        counts[model._meta.db_table] = model._base_manager.using("default").count()
    return dict(sorted(counts.items()))


def _pg_env(db):
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


def _pg_args(db, name=None):
    args = ["-h", db.get("HOST") or "127.0.0.1", "-p", str(db.get("PORT") or 5432), "-U", db.get("USER") or "postgres"]
    return [*args, "-d", name or db["NAME"]]


def backup_create(*, output):
    """Write a backup into the new folder ``output``. Returns the manifest."""
    if settings.OCOP_FILE_STORAGE != "filesystem":
        # A dump without the files would look complete and restore certificates whose PDFs are missing.
        raise BackupError(
            "files are on object storage (OCOP_FILE_STORAGE=s3): back the buckets up with the provider's versioning "
            "or replication and the database with pg_dump; make backup covers filesystem storage only"
        )
    output = Path(output)
    if output.exists() and any(output.iterdir()):
        raise BackupError(f"{output} exists and is not empty")
    output.mkdir(parents=True, exist_ok=True)
    db = settings.DATABASES["default"]
    if connection.vendor == "postgresql":
        database_file = "database.dump"
        subprocess.run(
            ["pg_dump", "-Fc", "--no-owner", "-f", str(output / database_file), *_pg_args(db)],
            check=True,
            env=_pg_env(db),
            capture_output=True,
        )
    elif connection.vendor == "sqlite":
        database_file = "database.sqlite3"
        source = sqlite3.connect(db["NAME"])
        target = sqlite3.connect(output / database_file)
        with target:
            source.backup(target)
        source.close()
        target.close()
    else:
        raise BackupError(f"unsupported database {connection.vendor}")
    files = {}
    for area, setting in FILE_AREAS.items():
        root = Path(getattr(settings, setting))
        files[area] = file_checksums(root)
        with tarfile.open(output / f"{area}.tar.gz", "w:gz") as tar:
            if root.is_dir():
                tar.add(root, arcname=".")
    manifest = {
        "created_at": timezone.now().isoformat(),
        "database": {"vendor": connection.vendor, "file": database_file, "sha256": _sha256(output / database_file)},
        "rows": row_counts(),
        "files": files,
    }
    (output / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False))
    return manifest


def _create_database(db):
    """Create the target PostgreSQL database; refuse one that already holds tables."""
    import psycopg2  # noqa: PLC0415 — only restores on PostgreSQL need the driver directly

    admin = psycopg2.connect(
        host=db.get("HOST") or "127.0.0.1",
        port=db.get("PORT") or 5432,
        user=db.get("USER") or "postgres",
        password=db.get("PASSWORD") or None,
        dbname="postgres",
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{db["NAME"]}"')
    admin.close()
    connection.ensure_connection()
    if connection.introspection.table_names():
        raise BackupError(f"database {db['NAME']} is not empty: restore into a fresh database")


def backup_restore(*, source):
    """Restore the backup in ``source`` into the configured (fresh) database and file roots, then verify it.

    Returns a list of problems (empty when the restore matches the manifest).
    """
    source = Path(source)
    manifest = json.loads((source / MANIFEST).read_text())
    database_file = source / manifest["database"]["file"]
    if _sha256(database_file) != manifest["database"]["sha256"]:
        raise BackupError("the database file does not match its checksum in the manifest")
    db = settings.DATABASES["default"]
    if manifest["database"]["vendor"] != connection.vendor:
        raise BackupError(f"a {manifest['database']['vendor']} backup cannot be restored into {connection.vendor}")
    for setting in FILE_AREAS.values():
        root = Path(getattr(settings, setting))
        if root.is_dir() and any(root.iterdir()):
            raise BackupError(f"{root} is not empty: restore into fresh folders")
    if connection.vendor == "postgresql":
        _create_database(db)
        connection.close()
        subprocess.run(
            ["pg_restore", "--no-owner", "--exit-on-error", *_pg_args(db), str(database_file)],
            check=True,
            env=_pg_env(db),
            capture_output=True,
        )
    else:
        connection.close()
        shutil.copyfile(database_file, db["NAME"])
    for area, setting in FILE_AREAS.items():
        root = Path(getattr(settings, setting))
        root.mkdir(parents=True, exist_ok=True)
        with tarfile.open(source / f"{area}.tar.gz", "r:gz") as tar:
            tar.extractall(root, filter="data")
    return backup_verify(manifest=manifest)


def backup_verify(*, manifest):
    problems = []
    counts = row_counts()
    for table, expected in manifest["rows"].items():
        if counts.get(table) != expected:
            problems.append(f"table {table}: {counts.get(table)} rows, the backup had {expected}")
    for area, setting in FILE_AREAS.items():
        restored = file_checksums(getattr(settings, setting))
        expected = manifest["files"][area]
        if restored != expected:
            missing = set(expected) - set(restored)
            changed = {k for k in expected if k in restored and restored[k] != expected[k]}
            problems.append(f"{area} files: {len(missing)} missing, {len(changed)} changed")
    return problems
