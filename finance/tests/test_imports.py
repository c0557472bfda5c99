from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from core.imports import ImportFailed, read_table
from finance.importers import import_budgets, import_placement_costs
from finance.models import BudgetLine
from placements.models import CostLine
from placements.tests.factories import ChildFactory, PlacementFactory, UserFactory

BUDGET_HEADER = "financial_year,code,name,placement_category,provision,amount,savings_target\n"
COST_HEADER = "child,placement_start,kind,weekly_amount,effective_from,effective_to,reason\n"


def table(text, name="file.csv"):
    return read_table(text.encode(), name)


def errors_of(importer, text, **kw):
    with pytest.raises(ImportFailed) as failed:
        importer(table(text), **kw)
    return [str(e) for e in failed.value.errors]


@pytest.mark.django_db
def test_budgets_load_with_labels_in_any_case():
    text = BUDGET_HEADER + (
        "2025,pl01,In-house fostering,FOSTER_OTHER,In-House,\"£1,250,000\",25000\n"
        "2025/26,PL02,External children's homes,Children's home,external,4200000.50,\n"
        "2025,ADM,Placements team,,any,300000,0\n"
    )
    summary = import_budgets(table(text), user=None)
    assert summary.created == 3
    rows = list(BudgetLine.objects.values_list("code", "placement_category", "provision", "amount", "savings_target"))
    assert rows == [("ADM", "", "any", Decimal("300000.00"), Decimal("0.00")),
                    ("PL01", "foster_other", "in_house", Decimal("1250000.00"), Decimal("25000.00")),
                    ("PL02", "childrens_home", "external", Decimal("4200000.50"), Decimal("0.00"))]


@pytest.mark.django_db
def test_bad_budget_rows_are_listed_by_row_and_nothing_is_saved():
    text = BUDGET_HEADER + (
        "2025,PL01,Fostering,foster_other,in_house,-100,0\n"
        "2025,PL02,Homes,castles,external,100,0\n"
        "2025,PL01,Again,childrens_home,any,100,0\n"
        "2025,PL03,Fostering twice,Foster_other,in_house,100,0\n"
        "2025/27,PL04,Bad year,,any,100,0\n"
    )
    assert errors_of(import_budgets, text, user=None) == [
        "Row 2, column 'amount': must be 0 or more",
        "Row 3, column 'placement_category': 'castles' is not one of: foster_other (Foster care (not relative or "
        "friend)), foster_relative (Foster care with relative or friend), childrens_home (Children's home), "
        "residential_school, secure, adoption (Placed for adoption), parents (With parents), independent "
        "(Supported or independent living), temporary, other",
        "Row 4, column 'code': PL01 is already used for 2025/26 in row 2",
        "Row 5, column 'provision': row 2 already budgets foster care (not relative or friend) (in-house) for 2025/26",
        "Row 6, column 'financial_year': '2025/27' is not a financial year: write 2025 or 2025/26 for April 2025 "
        "to March 2026",
    ]
    assert not BudgetLine.objects.exists()


@pytest.mark.django_db
def test_a_second_file_for_the_same_year_is_refused():
    import_budgets(table(BUDGET_HEADER + "2025,PL01,Fostering,foster_other,in_house,100,0\n"), user=None)
    text = BUDGET_HEADER + "2026,PL01,Fostering,foster_other,in_house,100,0\n2025,PL09,Other,other,any,5,0\n"
    assert errors_of(import_budgets, text, user=None) == [
        "Row 3, column 'financial_year': the budget for 2025/26 is already loaded; it is loaded once, from one file"]
    assert BudgetLine.objects.count() == 1


@pytest.mark.django_db
def test_costs_load_for_known_placements_and_the_same_file_twice_changes_nothing():
    user = UserFactory()
    child = ChildFactory(reference="C100")
    placement = PlacementFactory(child=child, start=date(2025, 5, 1), provider_kind="PR4", route="spot")
    text = COST_HEADER + (
        "C100,01/05/2025,Initial price,\"£4,500.00\",01/05/2025,,Agreed at placement\n"
        "C100,2025-05-01,reduction,250,2025-09-01,2025-12-31,\n"
    )
    first = import_placement_costs(table(text), user=user)
    assert (first.created, first.updated, first.unchanged) == (2, 0, 0)
    lines = list(placement.cost_lines.order_by("effective_from").values_list(
        "kind", "weekly_amount", "effective_to", "status", "reason"))
    assert lines == [("initial", Decimal("4500.00"), None, "in_force", "Agreed at placement"),
                     ("reduction", Decimal("-250.00"), date(2025, 12, 31), "in_force", "From the finance system")]
    again = import_placement_costs(table(text), user=user)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    changed = import_placement_costs(table(text.replace("4,500.00", "4,600.00")), user=user)
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 1)
    assert CostLine.objects.count() == 2


@pytest.mark.django_db
def test_bad_cost_rows_are_listed_by_row_and_nothing_is_saved():
    user = UserFactory()
    PlacementFactory(child=ChildFactory(reference="C100"), start=date(2025, 5, 1))
    text = COST_HEADER + (
        "C100,01/05/2025,initial,1000,01/05/2025,,ok\n"
        "C999,01/05/2025,initial,1000,01/05/2025,,no such child\n"
        "C100,02/05/2025,initial,1000,02/05/2025,,no such placement\n"
        "C100,01/05/2025,uplift,50,01/10/2025,30/09/2025,ends before it starts\n"
        "C100,01/05/2025,initial,1100,01/05/2025,,repeat\n"
        "C100,01/05/2025,bonus,1,01/05/2025,,bad kind\n"
    )
    assert errors_of(import_placement_costs, text, user=user) == [
        "Row 3, column 'child': no child with the reference C999",
        "Row 4, column 'placement_start': child C100 has no placement starting 02/05/2025",
        "Row 5, column 'effective_to': ends before it starts (effective_from)",
        "Row 6, column 'effective_from': repeats row 2 (same child, placement, kind and effective_from)",
        "Row 7, column 'kind': 'bonus' is not one of: initial (Initial price), uplift (Fee uplift), "
        "additional_support (Added support (e.g. 1:1)), reduction, other (Other change)",
    ]
    assert not CostLine.objects.exists()


@pytest.mark.django_db
def test_the_commands_load_files_and_report_problems(tmp_path):
    UserFactory(username="finance", is_superuser=True)
    budgets = tmp_path / "budgets.csv"
    budgets.write_text(BUDGET_HEADER + "2025,PL01,Fostering,foster_other,in_house,100,0\n")
    out = StringIO()
    call_command("import_budgets", str(budgets), stdout=out)
    assert "Budget lines: 1 created" in out.getvalue()
    with pytest.raises(CommandError, match="was not imported: 1 problem"):
        call_command("import_budgets", str(budgets), stdout=StringIO(), stderr=StringIO())
    PlacementFactory(child=ChildFactory(reference="C100"), start=date(2025, 5, 1))
    costs = tmp_path / "costs.csv"
    costs.write_text(COST_HEADER + "C100,01/05/2025,initial,1000,01/05/2025,,\n")
    out = StringIO()
    call_command("import_placement_costs", str(costs), stdout=out)
    assert "Placement cost lines: 1 created, 0 updated, 0 unchanged" in out.getvalue()
    assert CostLine.objects.get().agreed_by.username == "finance"


def test_the_upload_page_lists_the_problems(client, make_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from core.roles import COMMISSIONER

    client.force_login(make_user(COMMISSIONER))
    upload = SimpleUploadedFile("budgets.csv", (BUDGET_HEADER + "2025,PL01,Fostering,foster_other,in_house,-5,0\n")
                                .encode())
    response = client.post(reverse("finance:import_budgets"), {"file": upload})
    html = response.content.decode()
    assert "budgets.csv was not imported: 1 problem found" in html
    assert "must be 0 or more" in html
    assert not BudgetLine.objects.exists()


def test_the_upload_page_checks_first_and_saves_on_confirmation(client, make_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from core.models import ImportRecord
    from core.roles import COMMISSIONER

    client.force_login(make_user(COMMISSIONER))
    upload = SimpleUploadedFile("budgets.csv", (BUDGET_HEADER + "2025,PL01,Fostering,foster_other,in_house,100,0\n")
                                .encode())
    check = client.post(reverse("finance:import_budgets"), {"file": upload})
    assert check.status_code == 200
    assert check.context["checked"].created == 1
    assert not BudgetLine.objects.exists()
    done = client.post(reverse("finance:import_budgets"), {"confirm": check.context["digest"]}, follow=True)
    assert "budgets.csv imported" in done.content.decode()
    assert list(BudgetLine.objects.values_list("code", "amount")) == [("PL01", Decimal("100.00"))]
    record = ImportRecord.objects.get()
    assert (record.area, record.kind, record.filename, record.created) == ("finance", "budgets", "budgets.csv", 1)
