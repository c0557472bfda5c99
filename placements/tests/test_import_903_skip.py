"""Import the good children, list the rest: `skip_invalid_children` and the import record."""

import csv
from collections import Counter
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from core.imports import ImportFailed, read_table
from placements.importers import check_903, import_903
from placements.models import Child, Episode, Placement, ReturnImport, SkippedChild
from placements.tests.factories import AgreementFactory
from placements.tests.test_import_903 import EPISODES, HEADER, tables

DATA = Path(__file__).parent / "data"
FAKE = {name: DATA / f"d2i_fake_{name}.csv" for name in ("header", "episodes")}

# 100003's episode has a PLACE code that does not exist; 100004's header row has no DOB.
BAD_HEADER = HEADER + "100003,M,01/01/2012,WBRI,,,\n100004,F,,WBRI,,,\n"
BAD_EPISODES = (
    EPISODES + "100003,01/05/2024,S,C2,N1,Q9,PR4,,,,RG1 7AB,RG2 9QQ,\n"
    "100004,01/05/2024,S,C2,N1,U4,PR4,,,,RG1 7AB,RG2 9QQ,\n"
)


def fake_tables():
    return [read_table(path.read_bytes(), path.name) for path in FAKE.values()]


def child_by_row(path):
    """Spreadsheet row number (1 is the column names) -> CHILD, read straight from the file."""
    with path.open(newline="") as f:
        return {number: row["CHILD"].strip() for number, row in enumerate(csv.DictReader(f), start=2)}


@pytest.mark.django_db
def test_fake_return_imports_the_children_without_errors_and_skips_exactly_those_with(placements_officer):
    header_rows, episode_rows = child_by_row(FAKE["header"]), child_by_row(FAKE["episodes"])
    # Strict (the default): refused whole, every problem listed with its row.
    with pytest.raises(ImportFailed) as failed:
        import_903(*fake_tables(), user=placements_officer)
    assert not Child.objects.exists() and not ReturnImport.objects.exists()
    with_errors = {(header_rows if e.column.startswith("header") else episode_rows)[e.row] for e in failed.value.errors}
    assert all(e.row >= 2 for e in failed.value.errors)
    # DfE's codes are accepted: T1-T4 after 2015 and CUSTOD are no longer problems.
    assert not [e for e in failed.value.errors if "not an SSDA903 code" in e.message or "not in use" in e.message]
    reasons = Counter(e.column for e in failed.value.errors)

    summary = import_903(*fake_tables(), user=placements_officer, skip_invalid_children=True)

    record = ReturnImport.objects.get()
    skipped = set(SkippedChild.objects.values_list("reference", flat=True))
    assert skipped == with_errors
    all_children = set(header_rows.values())
    assert set(Child.objects.values_list("reference", flat=True)) == all_children - with_errors
    assert (record.children_imported, record.children_skipped) == (len(all_children - with_errors), len(with_errors))
    # Every episode of every imported child is in, and nothing of a skipped child.
    good_rows = [n for n, ref in episode_rows.items() if ref not in with_errors]
    assert Episode.objects.count() == len(good_rows)
    assert not Placement.objects.filter(child__reference__in=with_errors).exists()
    assert summary.created == Placement.objects.count() == record.placements_created
    # The figures on the fake return (2,675 children, 5,050 episodes): the skipped children's open
    # episodes carry a REC (DfE rule: DEC and REC both coded or both blank), and some overlap.
    assert len(all_children) == 2675 and len(episode_rows) == 5050
    assert (record.children_imported, record.children_skipped) == (1253, 1422)
    assert reasons.most_common(2) == [("episodes: DEC", 1413), ("episodes: DECOM", 42)]


def test_skipped_children_are_listed_with_their_rows_and_reasons_and_nothing_identifying(db, placements_officer):
    summary = import_903(*tables(BAD_HEADER, BAD_EPISODES), user=placements_officer, skip_invalid_children=True)
    assert set(Child.objects.values_list("reference", flat=True)) == {"100001", "100002"}
    by_ref = {s.reference: s for s in SkippedChild.objects.all()}
    assert set(by_ref) == {"100003", "100004"}
    assert (by_ref["100003"].header_rows, by_ref["100003"].episode_rows) == ([4], [6])
    assert by_ref["100003"].problems == [
        {"row": 6, "column": "episodes: PLACE", "message": "'Q9' is not an SSDA903 code"}
    ]
    assert [p["column"] for p in by_ref["100004"].problems] == ["header: DOB", "episodes: CHILD"]
    assert summary.as_dict()["children_skipped"] == 2
    stored = str(list(SkippedChild.objects.values_list()))
    for secret in ("7AB", "9QQ", "01/01/2012"):
        assert secret not in stored


def test_a_bad_postcode_or_birth_date_is_not_kept_in_the_problems(db, placements_officer):
    header = HEADER + "100003,M,31/02/2012,WBRI,,,\n"
    episodes = EPISODES + "100003,01/05/2024,S,C2,N1,U4,PR4,,,,RG1 7ABX Y,RG2 9QQ,\n"
    import_903(*tables(header, episodes), user=placements_officer, skip_invalid_children=True)
    problems = SkippedChild.objects.get(reference="100003").problems
    assert {p["column"] for p in problems} >= {"header: DOB", "episodes: HOME_POST"}
    assert "31/02/2012" not in str(problems) and "7ABX" not in str(problems)


def test_strict_import_refuses_the_whole_return(db, placements_officer):
    with pytest.raises(ImportFailed) as failed:
        import_903(*tables(BAD_HEADER, BAD_EPISODES), user=placements_officer)
    assert [(e.row, e.column) for e in failed.value.errors] == [
        (5, "header: DOB"),
        (6, "episodes: PLACE"),
        (7, "episodes: CHILD"),
    ]
    assert not Child.objects.exists()


def test_a_problem_with_a_file_as_a_whole_refuses_it_even_when_skipping(db, placements_officer):
    episodes = EPISODES.replace("PLACE_PROVIDER", "PROVIDER")
    with pytest.raises(ImportFailed):
        import_903(*tables(HEADER, episodes), user=placements_officer, skip_invalid_children=True)
    assert not Child.objects.exists()


def test_a_child_whose_placement_removal_would_lose_an_ipa_is_skipped_when_skipping(db, placements_officer):
    import_903(*tables(), user=placements_officer)
    AgreementFactory(placement=Placement.objects.get(child__reference="100002"))
    # 100002's placement is gone from the corrected return; 100001 changes (a new last episode ends).
    corrected = EPISODES.replace(
        "100002,10/10/2024,S,C1,N1,U4,PR4,,,,RG2 0AA,RG2 9QQ,\n",
        "100002,11/11/2024,S,C1,N1,K2,PR4,,,,RG2 0AA,RG2 9QQ,\n",
    )
    corrected = corrected.replace("15/09/2024,P,C2,N1,K2,PR4,,,STAND", "15/09/2024,P,C2,N1,K2,PR5,,,STAND")
    with pytest.raises(ImportFailed):
        import_903(*tables(HEADER, corrected), user=placements_officer)
    import_903(*tables(HEADER, corrected), user=placements_officer, skip_invalid_children=True)
    skipped = SkippedChild.objects.get()
    assert skipped.reference == "100002" and "an IPA" in skipped.problems[0]["message"]
    assert Placement.objects.get(child__reference="100001", start__year=2024).provider_kind.code == "PR5"
    assert Placement.objects.get(child__reference="100002").placement_type.code == "U4"  # untouched


def test_a_corrected_return_replaces_the_skipped_children_and_the_dashboard_says_so_until_then(
    db, placements_officer, client, committee_officer
):
    import_903(*tables(BAD_HEADER, BAD_EPISODES), user=placements_officer, skip_invalid_children=True)
    record = ReturnImport.objects.get()
    client.force_login(placements_officer)
    page = client.get(reverse("placements:index")).content.decode()
    assert "2 children from the return imported on" in page and "were not imported" in page
    assert record.get_absolute_url() in page
    # Committee officers see the count suppressed and no link to child-level rows.
    client.force_login(committee_officer)
    page = client.get(reverse("placements:index")).content.decode()
    assert "[c] children from the return imported on" in page and record.get_absolute_url() not in page

    client.force_login(placements_officer)
    listing = client.get(record.get_absolute_url()).content.decode()
    assert "100003" in listing and "&#x27;Q9&#x27; is not an SSDA903 code" in listing and "episodes 6" in listing

    # A corrected return for 100003 only: 100004 is still outstanding.
    fixed = BAD_EPISODES.replace(",Q9,", ",U4,")
    import_903(*tables(BAD_HEADER, fixed), user=placements_officer, skip_invalid_children=True)
    assert SkippedChild.objects.get(return_import=record, reference="100003").replaced_by is not None
    page = client.get(reverse("placements:index")).content.decode()
    assert "1 child from the return imported on" in page and "2 children from" not in page
    # Then everything corrected: nothing outstanding, the notice goes.
    header = BAD_HEADER.replace("100004,F,,", "100004,F,01/03/2013,")
    import_903(*tables(header, fixed), user=placements_officer)
    assert not SkippedChild.objects.filter(replaced_by__isnull=True).exists()
    assert "were not imported" not in client.get(reverse("placements:index")).content.decode()


def test_dashboard_notice_costs_the_same_queries_at_any_number_of_returns(
    db, placements_officer, client, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(placements_officer)
    import_903(*tables(BAD_HEADER, BAD_EPISODES), user=placements_officer, skip_invalid_children=True)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("placements:index"))
    for _ in range(3):
        other = ReturnImport.objects.create()
        SkippedChild.objects.create(return_import=other, reference="X1")
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(reverse("placements:index")).content.decode()
    assert page.count("were not imported") + page.count("was not imported") == 4


def test_command_skips_invalid_children_and_lists_them(tmp_path, db):
    (tmp_path / "h.csv").write_text(BAD_HEADER)
    (tmp_path / "e.csv").write_text(BAD_EPISODES)
    args = ["import_903", "--header", str(tmp_path / "h.csv"), "--episodes", str(tmp_path / "e.csv")]
    with pytest.raises(CommandError, match="Nothing imported: 3 problem"):
        call_command(*args, stdout=StringIO(), stderr=StringIO())
    out = StringIO()
    call_command(*args, "--skip-invalid-children", stdout=out, stderr=StringIO())
    text = out.getvalue()
    assert "2 children not imported (2 imported):" in text
    assert "100003 (header row 4, episodes row 6):" in text
    assert "Row 6, episodes: PLACE: 'Q9' is not an SSDA903 code" in text


def test_check_attributes_each_problem_to_its_child(db):
    checked = check_903(*tables(BAD_HEADER, BAD_EPISODES))
    assert checked.bad_children == {"100003", "100004"} and checked.good_children == ["100001", "100002"]
    assert checked.skippable


def test_a_kpi_computed_from_placements_says_children_were_not_imported(db, placements_officer, client):
    from kpis.tests.factories import IndicatorFactory

    computed = IndicatorFactory(data_source="computed", measure_key="placements.looked_after", unit="count")
    entered = IndicatorFactory()
    import_903(*tables(BAD_HEADER, BAD_EPISODES), user=placements_officer, skip_invalid_children=True)
    client.force_login(placements_officer)
    page = client.get(reverse("kpis:detail", args=[computed.pk])).content.decode()
    assert "2 children from the return imported on" in page
    assert ReturnImport.objects.get().get_absolute_url() in page
    assert "were not imported" not in client.get(reverse("kpis:detail", args=[entered.pk])).content.decode()
