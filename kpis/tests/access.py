from commissioning.access import everyone


def url_cases():
    return {
        "kpis:index": ({}, everyone()),
    }
