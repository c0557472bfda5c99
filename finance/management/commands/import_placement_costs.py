from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from core.import_command import ImportCommand
from finance.importers import COST_COLUMNS, import_placement_costs


class Command(ImportCommand):
    help = (f"Load placement cost lines from the finance system (CSV or XLSX; columns: {', '.join(COST_COLUMNS)}), "
            "taken as in force. Matched to placements by the 903 child reference and the placement's start date; "
            "the same file twice changes nothing. Nothing is saved if any row is wrong.")
    area, kind, label = "finance", "placement_costs", "Placement cost lines"

    def acting_user(self, username):
        # Cost lines record who agreed them: without --user, the first superuser (the finance system's owner).
        if username:
            return super().acting_user(username)
        agreed_by = get_user_model().objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
        if agreed_by is None:
            raise CommandError("Name the user who agreed the costs with --user.")
        return agreed_by

    def run(self, parsed, *, user):
        return import_placement_costs(parsed, user=user)
