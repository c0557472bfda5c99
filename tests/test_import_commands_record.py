"""Every import command checks with --dry-run (saving nothing, recording nothing) and records a real import, which
its area's imports page lists."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from core.models import ImportRecord
from core.roles import ADMINISTRATOR
from finance.models import BudgetLine
from finance.tests.test_imports import BUDGET_HEADER, COST_HEADER
from market.models import OfstedSetting
from market.tests.test_ofsted_import import ofsted_csv, row
from placements.models import Child, CostLine, Placement, PostcodeDistrict
from placements.tests.factories import ChildFactory, PlacementFactory
from placements.tests.test_import_903 import EPISODES, HEADER


def _budgets(folder):
    (folder / "budgets.csv").write_text(BUDGET_HEADER + "2025,PL01,Fostering,foster_other,in_house,100,0\n")
    return [str(folder / "budgets.csv")], BudgetLine.objects.count


def _costs(folder):
    PlacementFactory(child=ChildFactory(reference="C100"), start=date(2025, 5, 1))
    (folder / "costs.csv").write_text(COST_HEADER + "C100,01/05/2025,initial,1000,01/05/2025,,\n")
    return [str(folder / "costs.csv")], CostLine.objects.count


def _ofsted(folder):
    (folder / "ofsted.csv").write_bytes(ofsted_csv([row("SC401234")]))
    return [str(folder / "ofsted.csv")], OfstedSetting.objects.count


def _districts(folder):
    (folder / "districts.csv").write_text("district,latitude,longitude\nRG1,51.454,-0.971\n")
    return [str(folder / "districts.csv")], PostcodeDistrict.objects.count


def _return(folder):
    (folder / "header.csv").write_text(HEADER)
    (folder / "episodes.csv").write_text(EPISODES)
    return (["--header", str(folder / "header.csv"), "--episodes", str(folder / "episodes.csv")],
            lambda: (Child.objects.count(), Placement.objects.count()))


# command: (its files and how to count what it saves, the area's imports page, what the dry run says)
COMMANDS = {
    "import_budgets": (_budgets, "finance:imports", "It would make: 1 created"),
    "import_placement_costs": (_costs, "finance:imports", "It would make: 1 created"),
    "import_ofsted_providers": (_ofsted, "market:imports", "It would make: 1 created"),
    "load_postcode_districts": (_districts, "placements:imports", "It would make: 1 created"),
    "import_903": (_return, "placements:imports", "Placements it would make: 3 created, 0 updated, 0 removed"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_dry_run_saves_nothing_then_the_import_is_recorded_and_listed(command, tmp_path, make_user, client):
    make_files, page, would = COMMANDS[command]
    admin = make_user(ADMINISTRATOR)
    args, saved = make_files(tmp_path)
    before = saved()
    out = StringIO()
    call_command(command, *args, "--dry-run", "--user", admin.username, stdout=out)
    assert would in out.getvalue()
    assert saved() == before and not ImportRecord.objects.exists()

    call_command(command, *args, "--user", admin.username, stdout=StringIO())
    assert saved() != before
    record = ImportRecord.objects.get()
    assert (record.imported_by, record.created) == (admin, 3 if command == "import_903" else 1)
    client.force_login(admin)
    listed = client.get(reverse(page)).content.decode()
    assert record.filename in listed and record.kind.capitalize() in listed


def test_every_import_command_takes_dry_run_and_is_walked_here():
    from django.core.management import get_commands, load_command_class

    commands = sorted(name for name in get_commands() if name.startswith(("import_", "load_")))
    for name in commands:
        parser = load_command_class(get_commands()[name], name).create_parser("manage.py", name)
        assert "dry_run" in {action.dest for action in parser._actions}, f"{name} has no --dry-run"
    # The rest share core.import_command.ImportCommand with these, whose records the contracts and KPI tests check;
    # the commissioning programme's dry run and record are checked in programme/tests/test_import.py.
    assert set(COMMANDS) == set(commands) - {"import_contracts", "import_outcomes", "import_framework",
                                             "import_indicators", "import_targets", "import_measurements",
                                             "import_benchmarks", "import_commissioning_programme"}
