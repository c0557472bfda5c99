import importlib

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from commissioning.demo import DEMO_PASSWORD, DEMO_USERS, demo_users_create

# Order matters: later apps' demo data refers to earlier apps' records.
DEMO_MODULES = ["outcomes.demo", "kpis.demo", "contracts.demo", "placements.demo", "commissioning.demo_plans"]


class Command(BaseCommand):
    help = "Load the demo data and one demo user per role. Safe to run again: it changes nothing the second time."

    def handle(self, *args, **options):
        with transaction.atomic():
            users = demo_users_create()
            for module_name in DEMO_MODULES:
                try:
                    module = importlib.import_module(module_name)
                except ModuleNotFoundError as exc:
                    if exc.name != module_name:
                        raise
                    continue
                self.stdout.write(f"Loading demo data: {module_name}")
                module.load(users=users)
            # KPIs computed from placement data are filled from it, as the nightly task would.
            from kpis.computed import computed_measures_fill

            computed_measures_fill()
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded for {settings.AUTHORITY_NAME}."))
        self.stdout.write(f"Demo sign-ins (password for all: {DEMO_PASSWORD}):")
        for username, _, _, role in DEMO_USERS:
            self.stdout.write(f"  {username:<14} {role}")
