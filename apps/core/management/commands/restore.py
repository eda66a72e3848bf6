"""``manage.py restore DIR``: restore a backup into a fresh database and empty file folders, then verify it."""

import subprocess

from django.core.management.base import BaseCommand, CommandError

from apps.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Restore a backup made by `manage.py backup` into a fresh database (DATABASE_URL) and check it."

    def add_arguments(self, parser):
        parser.add_argument("source", help="the backup folder")

    def handle(self, *args, source, **options):
        try:
            problems = backup_restore(source=source)
        except (BackupError, OSError, subprocess.CalledProcessError) as exc:
            detail = getattr(exc, "stderr", b"") or b""
            raise CommandError(f"{exc} {detail.decode(errors='replace')[-2000:]}".strip()) from exc
        if problems:
            raise CommandError("The restore does not match the backup:\n" + "\n".join(problems))
        self.stdout.write("Restored and verified: every row count and file checksum matches the manifest.")
