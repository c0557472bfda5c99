from core.access import allowed, everyone
from core.roles import ADMINISTRATOR, COMMISSIONER


def url_cases():
    from outcomes.tests.factories import OutcomeFactory

    outcome = OutcomeFactory()
    return {
        "outcomes:index": ({}, everyone()),
        "outcomes:detail": ({"pk": outcome.pk}, everyone()),
        "outcomes:import": ({}, allowed(ADMINISTRATOR, COMMISSIONER)),
        "outcomes:imports": ({}, allowed(ADMINISTRATOR, COMMISSIONER)),
    }
