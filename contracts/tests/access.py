from commissioning.access import everyone


def url_cases():
    return {
        "contracts:index": ({}, everyone()),
    }
