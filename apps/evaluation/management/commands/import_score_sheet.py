"""``manage.py import_score_sheet FILE…``: load score sheets (JSON or CSV); a faulty sheet is refused whole."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from apps.evaluation.sheet_io import sheet_dict_from_file, sheet_import


class Command(BaseCommand):
    help = "Import score sheets (JSON or CSV)"

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+")

    def handle(self, *args, files, **options):
        for path in files:
            try:
                template = sheet_import(data=sheet_dict_from_file(path))
            except ValidationError as exc:
                raise CommandError(f"{path}:\n  - " + "\n  - ".join(exc.messages)) from exc
            self.stdout.write(f"{path}: {template} ({template.criteria.count()})")
