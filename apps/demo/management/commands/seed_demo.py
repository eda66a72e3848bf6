"""``manage.py seed_demo``: load the demo data (idempotent) and print the demo logins."""

from django.core.management.base import BaseCommand

from apps.demo.accounts import DEMO_PASSWORD
from apps.demo.seed import seed_demo


class Command(BaseCommand):
    help = "Load the demo data and print one login per role."

    def add_arguments(self, parser):
        parser.add_argument("--seed-provinces-only", action="store_true", help="import only the four seed provinces")

    def handle(self, *args, seed_provinces_only, **options):
        accounts = seed_demo(full_units=not seed_provinces_only)
        self.stdout.write(self.style.SUCCESS(f"Demo data ready. Logins (password for all: {DEMO_PASSWORD}):"))
        for user in accounts:
            where = user.unit.name if user.unit else "toàn quốc"
            self.stdout.write(f"  {user.get_role_display():<28} {user.email:<34} {where}")
