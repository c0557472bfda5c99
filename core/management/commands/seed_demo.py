from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from core.demo import DEMO_PASSWORD, DEMO_USERS, demo_users_create
from core.registry import registry


class Command(BaseCommand):
    help = "Load the demo data and one demo user per role. Safe to run again: it changes nothing the second time."

    def handle(self, *args, **options):
        with transaction.atomic():
            users = demo_users_create()
            # Each app registers its loader with an order: later apps' demo data refers to earlier apps' records.
            for loader in registry.ordered(registry.demo_loaders):
                self.stdout.write(f"Loading demo data: {loader.key}")
                loader.load(users=users)
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded for {settings.AUTHORITY_NAME}."))
        self.stdout.write(f"Demo sign-ins (password for all: {DEMO_PASSWORD}):")
        for username, _, _, role in DEMO_USERS:
            self.stdout.write(f"  {username:<14} {role}")
