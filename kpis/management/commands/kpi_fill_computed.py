from django.core.management.base import BaseCommand

from kpis.computed import computed_measures_fill


class Command(BaseCommand):
    help = (
        "Fill computed KPIs (those with a measure_key) from the measures other apps register, for the most recent "
        "complete periods, then recompute their statuses. The nightly beat task does the same."
    )

    def add_arguments(self, parser):
        parser.add_argument("--periods", type=int, default=None, help="How many recent periods (default: setting).")

    def handle(self, *args, periods=None, **options):
        counts = computed_measures_fill(periods=periods)
        self.stdout.write(", ".join(f"{n} {k}" for k, n in counts.items()))
