from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.demo import DEMO_PASSWORD, DEMO_USERS, demo_users_create
from core.registry import registry


class Command(BaseCommand):
    help = "Load the demo data and one demo user per role. Safe to run again: it changes nothing the second time."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Load the demo even though PRODUCTION=true: for a training site only, never one with real records.",
        )

    def handle(self, *args, allow_production=False, **options):
        if settings.PRODUCTION:
            if not allow_production:
                # The demo makes a staff `admin` and four more accounts whose shared password is published.
                raise CommandError(
                    "PRODUCTION=true: refusing to load the demo data and its demo accounts. "
                    "For a training site, run seed_demo --allow-production."
                )
            self.stderr.write(self.style.WARNING(
                f"Warning: PRODUCTION=true and --allow-production given: loading the demo data and the demo accounts "
                f"({', '.join(username for username, *_ in DEMO_USERS)}), all with the published password. "
                f"Use this on a training site only."
            ))
        with transaction.atomic():
            users = demo_users_create()
            # Each app registers its loader with an order: later apps' demo data refers to earlier apps' records.
            for loader in registry.ordered(registry.demo_loaders):
                self.stdout.write(f"Loading demo data: {loader.key}")
                loader.load(users=users)
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded for {settings.AUTHORITY_NAME}."))
        if settings.EMAIL_BACKEND == "django.core.mail.backends.filebased.EmailBackend":
            self.stdout.write(f"Emails are written to files in {settings.EMAIL_FILE_PATH}/, not sent.")
        self.stdout.write(f"Demo sign-ins (password for all: {DEMO_PASSWORD}):")
        for username, _, _, role in DEMO_USERS:
            self.stdout.write(f"  {username:<14} {role}")
