from functools import partial
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.import_command import import_file_read
from core.imports import ImportFailed, read_table
from placements.dfe_check import dfe_check_request
from placements.importers import import_903


class Command(BaseCommand):
    help = (
        "Load an SSDA903 return (header and episodes CSVs). Every row is checked first; nothing is saved if any "
        "row is wrong. Dates of birth are cut to month and year, postcodes to districts, UPNs dropped. A corrected "
        "return replaces, for each child in its header, the episodes and return placements it covers; placements "
        "entered in the app are kept, and one with an IPA, costs or panel reviews is never removed. With "
        "--skip-invalid-children, each child with a problem on any of their rows is left out whole and listed, "
        "and the other children are imported."
    )

    def add_arguments(self, parser):
        parser.add_argument("--header", required=True, help="The return's header CSV.")
        parser.add_argument("--episodes", required=True, help="The return's episodes CSV.")
        parser.add_argument(
            "--dfe-check", action="store_true",
            help="Also queue the DfE's 903 rules (csc-validator-be-903) on the return, imported or not: a worker "
                 "runs them and the import page shows the findings. The rules' columns are held until the check has "
                 "run, then deleted.",
        )
        parser.add_argument(
            "--skip-invalid-children", action="store_true",
            help="Import every child whose rows are all valid; leave out (and list) each child with a problem.",
        )

    def handle(self, *args, header, episodes, dfe_check=False, skip_invalid_children=False, **options):
        # The episodes file has its own, larger limit, as on the upload page.
        tables = [import_file_read(header)[2],
                  import_file_read(episodes, partial(read_table, max_rows=settings.IMPORT_903_EPISODES_MAX_ROWS))[2]]
        if dfe_check:
            check = dfe_check_request(header=tables[0], episodes=tables[1], header_file=Path(header).name,
                                      episodes_file=Path(episodes).name)
            self.stdout.write(f"DfE check {check.pk} queued: the findings will be on the 903 import page.")
        try:
            summary = import_903(*tables, user=None, skip_invalid_children=skip_invalid_children)
        except ImportFailed as failed:
            for error in failed.errors:
                self.stderr.write(str(error))
            raise CommandError(f"Nothing imported: {len(failed.errors)} problem(s) found.") from failed
        self.stdout.write(self.style.SUCCESS(f"Placements: {summary}."))
        self.stdout.write(f"{'':<12}{'Created':>9}{'Updated':>9}{'Removed':>9}")
        for label, created, updated, removed in summary.table():
            self.stdout.write(f"{label:<12}{created:>9}{updated:>9}{removed:>9}")
        for note in summary.notes[2:]:  # the first two repeat the table
            self.stdout.write(note)
        if summary.skipped_children:
            skipped = summary.record.children_skipped
            self.stdout.write(self.style.WARNING(
                f"{skipped} child{'ren' if skipped != 1 else ''} not imported "
                f"({summary.record.children_imported} imported):"))
            for child in summary.skipped_children:
                rows = ", ".join([f"header row {r}" for r in child["header_rows"]]
                                 + [f"episodes row {r}" for r in child["episode_rows"]])
                self.stdout.write(f"{child['child'] or 'Rows with no CHILD'} ({rows}):")
                for problem in child["problems"]:
                    self.stdout.write(f"  Row {problem['row']}, {problem['column']}: {problem['message']}")
