from commissioning.access import everyone


def url_cases():
    return {
        "outcomes:index": ({}, everyone()),
    }
