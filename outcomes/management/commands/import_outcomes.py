from core.import_command import ImportCommand


class Command(ImportCommand):
    help = (
        "Import an outcomes framework (theme, age_band, outcome; optional owner, corporate_priority, level_of_need) "
        "from CSV or XLSX: every row is checked first; nothing is saved if any is wrong."
    )
    area = "outcomes"
    kind = "outcomes"

    def run(self, parsed, *, user):
        from outcomes.imports import import_outcomes

        return import_outcomes(parsed, user=user)
