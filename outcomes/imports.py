"""`import_outcomes`: an outcomes framework as councils publish it (theme, age band, outcome, owner...).

Reading's Appendix A is a list of outcome statements grouped by theme (Education; Early Help...)
and age band (All children, Pre-birth to 4, 5 to 11...), each theme with a responsible Head of
Service. Themes and age bands the file names that do not exist yet are created (and listed as new).
An outcome is matched on theme, age band and statement, ignoring case and spacing, so the same
file twice changes nothing.
"""

from simple_history.utils import bulk_create_with_history

from core.imports import ImportSummary, ReferenceMatcher, RowReader, check_columns, run_import, unlinked_note
from core.people import UserMatcher

from .models import AgeBand, Outcome, Theme

OUTCOME_COLUMNS = ["theme", "age_band", "outcome"]
OUTCOME_OPTIONAL = ["owner", "corporate_priority", "level_of_need"]
COMPARED = ["owner_id", "owner_title", "corporate_priority", "level_of_need"]


def _as_is(text: str) -> str:
    return " ".join(text.split())


def theme_matcher() -> ReferenceMatcher:
    """Themes by name in any case; a name not found is a new theme."""
    return ReferenceMatcher([(t, t) for t in Theme.objects.values_list("name", flat=True)], code_from_text=_as_is)


def themes_create(themes: ReferenceMatcher, *, user, summary: ImportSummary) -> dict:
    """Create the new themes an import names; returns every theme by name."""
    if themes.new:
        bulk_create_with_history([Theme(name=name) for name in themes.new], Theme, default_user=user)
        summary.add_new("themes", themes.new.values())
    return {t.name: t for t in Theme.objects.all()}


def _statement_key(theme_name: str, band_name: str, statement: str):
    return (theme_name.lower(), band_name.lower(), " ".join(statement.split()).lower())


def import_outcomes(table, *, user, themes: ReferenceMatcher | None = None) -> ImportSummary:
    themes = themes or theme_matcher()
    bands = ReferenceMatcher([(b, b) for b in AgeBand.objects.values_list("name", flat=True)], code_from_text=_as_is)

    def validate(table):
        errors = check_columns(table, required=OUTCOME_COLUMNS, optional=OUTCOME_OPTIONAL)
        if errors:
            return [], errors
        people = UserMatcher()
        seen, items = {}, []
        for number, cells in table.rows:
            r = RowReader(number, cells, errors)
            theme_text = r.text("theme", required=True, max_length=200)
            band_text = r.text("age_band", required=True, max_length=100)
            statement = _as_is(r.text("outcome", required=True))
            owner_text = r.text("owner", max_length=200)
            owner = people.match(owner_text)
            item = {
                "theme": themes.match(theme_text) if theme_text else "",
                "age_band": bands.match(band_text) if band_text else "",
                "statement": statement,
                "owner_id": owner.pk if owner else None,
                "owner_title": "" if owner else owner_text,
                "corporate_priority": r.text("corporate_priority", max_length=300),
                "level_of_need": r.choice("level_of_need", Outcome.LevelOfNeed.choices) or "",
            }
            if item["theme"] and item["age_band"] and statement:
                key = _statement_key(item["theme"], item["age_band"], statement)
                if key in seen:
                    r.error("outcome", f"This outcome is already on row {seen[key]} for the same theme and age band")
                seen.setdefault(key, number)
            items.append(item)
        return items, errors

    def write(items):
        summary = ImportSummary()
        by_theme = themes_create(themes, user=user, summary=summary)
        if bands.new:
            start = (AgeBand.objects.order_by("-order").values_list("order", flat=True).first() or 0) + 1
            bulk_create_with_history(
                [AgeBand(name=name, order=start + i) for i, name in enumerate(bands.new)], AgeBand, default_user=user
            )
            summary.add_new("age bands", bands.new.values())
        by_band = {b.name: b for b in AgeBand.objects.all()}
        existing = {
            _statement_key(o.theme.name, o.age_band.name, o.statement): o
            for o in Outcome.objects.select_related("theme", "age_band")
        }
        next_order = {}
        for item in items:
            key = _statement_key(item["theme"], item["age_band"], item["statement"])
            fields = {name: item[name] for name in COMPARED}
            outcome = existing.get(key)
            if outcome is None:
                theme, band = by_theme[item["theme"]], by_band[item["age_band"]]
                order = next_order.get((theme.pk, band.pk), 0) + 1
                next_order[(theme.pk, band.pk)] = order
                outcome = Outcome(statement=item["statement"], theme=theme, age_band=band, order=order, **fields)
                outcome._history_user = user
                outcome.full_clean()
                outcome.save()
                existing[key] = outcome
                summary.created += 1
                summary.created_records.append(f"Outcome: {outcome}")
                continue
            before = {name: getattr(outcome, name) for name in COMPARED}
            if before == fields:
                summary.unchanged += 1
                continue
            summary.note_changes(f"Outcome: {outcome}", before, fields)
            for name, value in fields.items():
                setattr(outcome, name, value)
            outcome._history_user = user
            outcome.full_clean()
            outcome.save()
            summary.updated += 1
        unlinked_note(summary, [i["owner_title"] for i in items], "outcome")
        return summary

    return run_import(table, validate=validate, write=write)
