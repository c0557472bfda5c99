from core.access import everyone


def url_cases():
    from outcomes.tests.factories import OutcomeFactory

    outcome = OutcomeFactory()
    return {
        "outcomes:index": ({}, everyone()),
        "outcomes:detail": ({"pk": outcome.pk}, everyone()),
    }
