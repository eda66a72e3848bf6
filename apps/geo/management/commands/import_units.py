"""``manage.py import_units [--edition 2024|2025|all] [--province 22 ...]``: load official unit lists."""

from django.core.management.base import BaseCommand

from apps.geo.enums import Edition, Level
from apps.geo.models import AdministrativeUnit
from apps.geo.services import units_import_three_tier, units_import_two_tier
from apps.geo.signals import units_imported


class Command(BaseCommand):
    help = "Import the official administrative units (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--edition", choices=["2024", "2025", "all"], default="all")
        parser.add_argument("--province", action="append", dest="provinces", help="only these province codes")

    def handle(self, *args, edition, provinces, **options):
        codes = set(provinces) if provinces else None
        if edition in (Edition.THREE_TIER_2024, "all"):
            r = units_import_three_tier(province_codes=codes)
            self.stdout.write(f"2024: {r.provinces} provinces, {r.districts} districts, {r.communes} communes")
        if edition in (Edition.TWO_TIER_2025, "all"):
            r = units_import_two_tier(province_codes=codes)
            self.stdout.write(f"2025: {r.provinces} provinces, {r.communes} communes")
        linked = AdministrativeUnit.objects.filter(level=Level.COMMUNE, successor__isnull=False).count()
        self.stdout.write(f"reform: {linked} pre-2025 communes linked to their 2025 commune")
        # Apps above geo (the catalogue groups by the successors) bring themselves in line with changed links.
        for _receiver, line in units_imported.send(sender=AdministrativeUnit):
            if line:
                self.stdout.write(line)
