from django.db import migrations
from django.db.models import F


def bring_reviews_inside_the_term(apps, schema_editor):
    # The stored next review was the interval after the last review, even past the contract's end;
    # it is now never after the current end (contracts.dates.next_review_due).
    Contract = apps.get_model("contracts", "Contract")
    Contract.objects.filter(next_review_due__gt=F("current_end")).update(next_review_due=F("current_end"))


class Migration(migrations.Migration):

    dependencies = [
        ("contracts", "0006_open_data_fields"),
    ]

    operations = [
        migrations.RunPython(bring_reviews_inside_the_term, migrations.RunPython.noop),
    ]
