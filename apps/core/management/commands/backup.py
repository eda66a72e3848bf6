"""``manage.py backup [--output DIR]``: database dump plus private and media files, with a manifest."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from apps.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Back up the database and the private/media files into one folder with a manifest."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="a new folder (default var/backups/<timestamp>)")

    def handle(self, *args, output=None, **options):
        from django.conf import settings  # noqa: PLC0415 — read at run time, after settings are configured

        output = Path(output or settings.BASE_DIR / "var" / "backups" / timezone.now().strftime("%Y%m%d-%H%M%S"))
        try:
            manifest = backup_create(output=output)
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        files = sum(len(v) for v in manifest["files"].values())
        rows = sum(manifest["rows"].values())
        self.stdout.write(f"Backup written to {output}: {rows} rows in {len(manifest['rows'])} tables, {files} files.")
