from django.core.management.base import BaseCommand

from core.registry import registry
from core.services import people_link_by_name


class Command(BaseCommand):
    help = (
        "Link accounts to the owners and managers kept by name (from spreadsheets): an account whose "
        "username, email address or full name matches the text is linked, so its holder gets alerts."
    )

    def handle(self, *args, **options):
        linked = people_link_by_name()
        for key, count in linked.items():
            self.stdout.write(f"{registry.named_people[key].label}: {count} linked.")
