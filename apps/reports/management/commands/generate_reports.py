"""``manage.py generate_reports --frequency monthly --period 2026-11 [--unit 2024/22]``: generate in this process."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from apps.geo.models import AdministrativeUnit
from apps.reports import services
from apps.reports.enums import ReportKind
from apps.reports.periods import Period


class Command(BaseCommand):
    help = "Generate the OCOP reports (PDF and XLSX) of one period, for one unit or every unit with data."

    def add_arguments(self, parser):
        parser.add_argument("--frequency", required=True, choices=ReportKind.values)
        parser.add_argument("--period", required=True, help="2026-11, 2026-Q4, 2026-H2 or 2026")
        parser.add_argument("--unit", help="<edition>/<code>, e.g. 2024/22 (province), 2024/614 (district)")

    def handle(self, *args, frequency, period, unit=None, **options):
        try:
            period = Period.parse(period, kind=frequency)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        units = None
        if unit:
            edition, _slash, code = unit.partition("/")
            units = list(AdministrativeUnit.objects.filter(edition=edition, code=code).order_by("level"))
            if len(units) != 1:
                raise CommandError(f"No single unit {unit!r} (found {len(units)}).")
        reports = services.reports_prepare_period(period=period, units=units)
        for report in reports:
            services.report_render(report_id=report.pk)
            self.stdout.write(f"{report.unit.path} {report.kind} {report.period}: ok")
        self.stdout.write(self.style.SUCCESS(f"{len(reports)} report(s) generated"))
