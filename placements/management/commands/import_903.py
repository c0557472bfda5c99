from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from core import imports
from core.import_command import import_file_read
from core.imports import ImportFailed, read_table
from core.services import import_record_create
from placements.dfe_check import dfe_check_request
from placements.importers import import_903


class Command(BaseCommand):
    help = (
        "Load an SSDA903 return (header and episodes CSVs). Every row is checked first; nothing is saved if any "
        "row is wrong. Dates of birth are cut to month and year, postcodes to districts, UPNs dropped. A corrected "
        "return replaces, for each child in its header, the episodes and return placements it covers; placements "
        "entered in the app are kept, and one with an IPA, costs or panel reviews is never removed. With "
        "--skip-invalid-children, each child with a problem on any of their rows is left out whole and listed, "
        "and the other children are imported. With --dry-run, says what would be created, updated and removed "
        "and saves nothing. A saved import is listed on the placements imports page."
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
        parser.add_argument("--dry-run", action="store_true",
                            help="Check the return and say what would change; save nothing.")
        parser.add_argument("--user", help="Username recorded as the one who imported (default: none).")

    def handle(self, *args, header, episodes, dfe_check=False, skip_invalid_children=False, dry_run=False,
               user=None, **options):
        acting = None
        if user:
            acting = get_user_model().objects.filter(username=user).first()
            if acting is None:
                raise CommandError(f"No user called {user}")
        # The episodes file has its own, larger limit, as on the upload page.
        header_name, header_data, header_table = import_file_read(header)
        episodes_name, episodes_data, episodes_table = import_file_read(
            episodes, partial(read_table, max_rows=settings.IMPORT_903_EPISODES_MAX_ROWS))
        if dfe_check:
            check = dfe_check_request(header=header_table, episodes=episodes_table, header_file=header_name,
                                      episodes_file=episodes_name)
            self.stdout.write(f"DfE check {check.pk} queued: the findings will be on the 903 import page.")

        def run():
            return import_903(header_table, episodes_table, user=acting, skip_invalid_children=skip_invalid_children)

        try:
            summary = imports.dry_run(run) if dry_run else run()
        except ImportFailed as failed:
            for error in failed.errors:
                self.stderr.write(str(error))
            raise CommandError(f"Nothing imported: {len(failed.errors)} problem(s) found.") from None
        if dry_run:
            self.stdout.write(f"Checked, nothing saved. Placements it would make: {summary}.")
        else:
            import_record_create(area="placements", kind="903", filename=f"{header_name} and {episodes_name}",
                                 data=header_data + b"\0" + episodes_data, summary=summary, user=acting)
            self.stdout.write(self.style.SUCCESS(f"Placements: {summary}."))
        self.stdout.write(f"{'':<12}{'Created':>9}{'Updated':>9}{'Removed':>9}")
        for label, created, updated, removed in summary.table():
            self.stdout.write(f"{label:<12}{created:>9}{updated:>9}{removed:>9}")
        if summary.new_children:
            self.stdout.write(f"New children: {', '.join(summary.new_children)}"
                              + (" and more." if summary.children_created > len(summary.new_children) else "."))
        for note in summary.notes[2:]:  # the first two repeat the table
            self.stdout.write(note)
        if summary.skipped_children:
            skipped = sum(1 for s in summary.skipped_children if s["child"])
            imported = summary.record.children_imported if summary.record else "the others"
            self.stdout.write(self.style.WARNING(
                f"{skipped} child{'ren' if skipped != 1 else ''} not {'to be ' if dry_run else ''}imported "
                f"({imported} {'would be ' if dry_run else ''}imported):"))
            for child in summary.skipped_children:
                rows = ", ".join([f"header row {r}" for r in child["header_rows"]]
                                 + [f"episodes row {r}" for r in child["episode_rows"]])
                self.stdout.write(f"{child['child'] or 'Rows with no CHILD'} ({rows}):")
                for problem in child["problems"]:
                    self.stdout.write(f"  Row {problem['row']}, {problem['column']}: {problem['message']}")
