"""``manage.py export_score_sheet CODE [--sheet-version N] [--format json|csv]``: print a score sheet."""

from django.core.management.base import BaseCommand, CommandError

from apps.evaluation.models import SheetTemplate
from apps.evaluation.sheet_io import sheet_to_csv, sheet_to_json


class Command(BaseCommand):
    help = "Export a score sheet as JSON or CSV"

    def add_arguments(self, parser):
        parser.add_argument("code")
        parser.add_argument("--sheet-version", dest="sheet_version", type=int)
        parser.add_argument("--format", choices=["json", "csv"], default="json")

    def handle(self, *args, code, sheet_version, format, **options):
        templates = SheetTemplate.objects.filter(code=code)
        if sheet_version:
            templates = templates.filter(version=sheet_version)
        template = templates.order_by("-version").first()
        if template is None:
            raise CommandError(f"No sheet {code}")
        self.stdout.write(sheet_to_csv(template) if format == "csv" else sheet_to_json(template), ending="")
