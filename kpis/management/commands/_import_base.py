"""Shared shape of the KPI import commands."""

from core.import_command import ImportCommand as BaseImportCommand


class ImportCommand(BaseImportCommand):
    area = "kpis"
    kind = ""  # key in kpis.imports.IMPORTERS

    def run(self, parsed, *, user):
        from kpis.imports import IMPORTERS

        return IMPORTERS[self.kind][0](parsed, user=user, queue=False)

    def after(self, summary):
        from kpis.services import statuses_recompute

        # Recompute what the import touched now, so a script can read the statuses at once.
        if summary.indicator_ids:
            changed = statuses_recompute(indicator_ids=summary.indicator_ids)
            self.stdout.write(f"Statuses recomputed for {len(summary.indicator_ids)} indicator(s), {changed} changed.")
