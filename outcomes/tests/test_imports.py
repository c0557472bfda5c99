# ruff: noqa: E501 - spreadsheet rows read best on one line
import pytest
from django.core.management import call_command

from core.imports import ImportFailed, read_table
from outcomes.imports import import_outcomes
from outcomes.models import AgeBand, Outcome, Theme

pytestmark = pytest.mark.django_db

# The shape of Reading's Appendix A: outcomes by theme and age band, each theme owned by a Head of Service post.
READING = """Theme,Age band,Outcome,Owner,Corporate priority,Level of need
Education,All children,All children attend schools and settings that are good or outstanding,Head of Service for Education,"Priority 2: Providing the best life through education, early help and healthy living",
Education,Pre-birth to 4,Children have achieved all the developmental milestones that make them ready for school,Head of Service for Education,"Priority 2: Providing the best life through education, early help and healthy living",Prevent
Education,16 to 18,"All 16 to 18 year olds are in employment, education or training",Head of Service for Education,,reduce
"Early Help, Early Intervention and Health",All children,Children experience an environment where there is no violence abuse or neglect,Head of Service for Early Help and Family Services,,PREVENT
Safeguarding and Looked After Children,All children,Children are protected from harm at home in school and in the community,Head of Service for Safeguarding and Children's Social Care,"Priority 1: Safeguarding and protecting those that are most vulnerable",Meet
"""


def _table(text):
    return read_table(text.encode(), "appendix-a.csv")


def test_readings_appendix_a_loads_into_an_empty_system_and_again_changes_nothing(commissioner):
    summary = import_outcomes(_table(READING), user=commissioner)
    assert (summary.created, summary.updated, summary.unchanged) == (5, 0, 0)
    assert summary.new_references["themes"] == [
        "Early Help, Early Intervention and Health", "Education", "Safeguarding and Looked After Children"]
    assert summary.new_references["age bands"] == ["16 to 18", "All children", "Pre-birth to 4"]
    assert list(AgeBand.objects.order_by("order").values_list("name", flat=True)) == [
        "All children", "Pre-birth to 4", "16 to 18"]
    ready = Outcome.objects.get(statement__startswith="Children have achieved")
    assert (ready.theme.name, ready.age_band.name, ready.level_of_need) == ("Education", "Pre-birth to 4", "prevent")
    assert (ready.owner, ready.owner_title) == (None, "Head of Service for Education")
    assert ready.corporate_priority.startswith("Priority 2")
    assert "Head of Service for Education (3 outcomes)" in " ".join(summary.notes)
    again = import_outcomes(_table(READING), user=commissioner)
    assert (again.created, again.updated, again.unchanged, again.new_references) == (0, 0, 5, {})
    assert Theme.objects.count() == 3


def test_a_changed_owner_is_shown_field_by_field(commissioner):
    import_outcomes(_table(READING), user=commissioner)
    changed = READING.replace("Meet", "Reduce")
    summary = import_outcomes(_table(changed), user=commissioner)
    assert (summary.created, summary.updated, summary.unchanged) == (0, 1, 4)
    [change] = summary.changes
    assert (change.field, change.old, change.new) == ("level_of_need", "meet", "reduce")


def test_bad_rows_are_listed_and_nothing_is_saved(commissioner):
    bad = READING + "Education,All children,,Someone,,Sometimes\n"
    with pytest.raises(ImportFailed) as exc:
        import_outcomes(_table(bad), user=commissioner)
    text = str(exc.value)
    assert "Row 7, column 'outcome': is required" in text
    assert "Row 7, column 'level_of_need': 'Sometimes' is not one of: prevent, reduce, meet" in text
    assert not Theme.objects.exists() and not Outcome.objects.exists()


def test_command_with_dry_run_saves_nothing(tmp_path, capsys):
    path = tmp_path / "appendix-a.csv"
    path.write_text(READING)
    call_command("import_outcomes", str(path), "--dry-run")
    assert "checked, nothing saved. It would make: 5 created, 0 updated, 0 unchanged" in capsys.readouterr().out
    assert not Outcome.objects.exists() and not Theme.objects.exists()
    call_command("import_outcomes", str(path))
    assert Outcome.objects.count() == 5
