from commissioning.access import everyone


def url_cases():
    return {
        "placements:index": ({}, everyone()),
    }
