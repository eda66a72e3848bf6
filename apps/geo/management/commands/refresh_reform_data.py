"""``manage.py refresh_reform_data [--check]``: rebuild the shipped 2025 commune successors and coordinates.

A maintainer's tool, run after upgrading the ``vietnamadminunits`` package (requirements-dev.txt). It writes
``apps/geo/data/commune-successors-2025.csv.gz``, ``unit-coordinates.csv.gz`` and the report of everything that
does not agree with our two official lists; then ``import_units`` (or ``link_reform``) loads them.
"""

from django.core.management.base import BaseCommand, CommandError

from apps.geo import reform_data


class Command(BaseCommand):
    help = "Rebuild the commune-successor and coordinate data files from the vietnamadminunits package."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="report only, write nothing")

    def handle(self, *args, check, **options):
        try:
            result = reform_data.build()
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        for line in result.report:
            self.stdout.write(line)
        self.stdout.write(
            f"{result.old_communes} old communes mapped ({result.split_communes} split), "
            f"{len(result.coordinates)} coordinates, {len(result.report)} remarks"
        )
        if not check:
            reform_data.write(result)
            self.stdout.write(f"written to {reform_data.DATA_DIR}")
