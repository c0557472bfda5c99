from core.access import allowed, everyone
from core.roles import ADMINISTRATOR, COMMISSIONER

# The forecast holds counts of children only: every role reads it. Commissioners run it, save scenarios and set
# unit costs.
COMMISSIONERS = (ADMINISTRATOR, COMMISSIONER)


def url_cases():
    from django.contrib.auth import get_user_model

    from sufficiency.models import Scenario

    user = get_user_model().objects.create_user("scenario-author")
    scenario = Scenario.objects.create(name="Edge of care", entry_change_percent=-10, created_by=user)
    return {
        "sufficiency:forecast": ({}, everyone()),
        "sufficiency:method": ({}, everyone()),
        "sufficiency:costs": ({}, everyone()),
        "sufficiency:supply": ({}, everyone()),
        "sufficiency:run": ({}, allowed(*COMMISSIONERS, status=405)),  # POST only
        "sufficiency:scenario_add": ({}, allowed(*COMMISSIONERS)),
        "sufficiency:scenario": ({"pk": scenario.pk}, allowed(*COMMISSIONERS)),
        "sufficiency:scenario_delete": ({"pk": scenario.pk}, allowed(*COMMISSIONERS)),
        "sufficiency:unit_cost": ({"category": "residential"}, allowed(*COMMISSIONERS)),
    }
