"""A corrected SSDA903 return replaces what the earlier one said (see placements/importers.py)."""

from datetime import date
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from core.imports import ImportFailed
from placements.importers import import_903
from placements.models import Child, Episode, Placement, PlacementAgreement, PlacementSource
from placements.tests.factories import AgreementFactory, CostLineFactory, PanelReviewFactory, PlacementFactory
from placements.tests.test_import_903 import EPISODES, HEADER, districts, tables  # noqa: F401

K2_ROW = "100001,15/09/2024,P,C2,N1,K2,PR4,,,STAND,RG1 7AB,OX1 2JD,SC123456\n"
L_ROW = "100001,01/06/2022,L,C2,N1,U6,PR1,15/09/2024,X1,,RG1 7AB,RG30 4XY,\n"


def state():
    """Everything the import writes, to show a second import changed nothing."""
    return (
        sorted(Child.objects.values_list("reference", "sex", "birth_month", "birth_year")),
        sorted(Placement.objects.values_list("id", "child__reference", "start", "end", "placement_type__code")),
        sorted(Episode.objects.values_list("id", "child__reference", "start", "end", "placement_id")),
        Placement.history.count(), Episode.history.count(),
    )


@pytest.fixture
def loaded(districts, placements_officer):  # noqa: F811
    import_903(*tables(), user=placements_officer)
    return Placement.objects.get(child__reference="100001", start=date(2024, 9, 15))


def test_an_episode_removed_from_the_return_is_removed_with_its_placement(loaded, placements_officer):
    summary = import_903(*tables(episodes=EPISODES.replace(K2_ROW, "")), user=placements_officer)
    assert not Placement.objects.filter(pk=loaded.pk).exists()
    assert not Episode.objects.filter(child__reference="100001", start=date(2024, 9, 15)).exists()
    assert (summary.created, summary.updated, summary.removed, summary.unchanged) == (0, 0, 1, 2)
    assert (summary.episodes_created, summary.episodes_updated, summary.episodes_removed) == (0, 0, 1)
    assert summary.removed_placements == ["100001 from 15/09/2024 (K2)"]
    assert str(summary) == "0 created, 0 updated, 1 removed, 2 unchanged"
    # The deletion is in the audit history
    assert Placement.history.filter(id=loaded.pk, history_type="-").count() == 1


def test_an_episode_removed_from_inside_a_placement(loaded, placements_officer):
    corrected = EPISODES.replace(L_ROW, "")
    summary = import_903(*tables(episodes=corrected), user=placements_officer)
    first = Placement.objects.get(child__reference="100001", start=date(2022, 4, 1))
    assert first.end == date(2022, 6, 1) and first.episodes.count() == 1
    # Updated: the first placement's end, and the K2 placement, whose period of care no longer runs on
    assert (summary.updated, summary.removed, summary.episodes_removed) == (2, 0, 1)


def test_a_corrected_start_date_moves_the_placement_and_keeps_its_records(loaded, placements_officer):
    placement = Placement.objects.get(child__reference="100002")
    AgreementFactory(placement=placement)
    CostLineFactory(placement=placement)
    corrected = EPISODES.replace("100002,10/10/2024", "100002,12/10/2024")
    summary = import_903(*tables(episodes=corrected), user=placements_officer)
    placement.refresh_from_db()
    assert placement.start == date(2024, 10, 12)  # same placement, new date
    assert PlacementAgreement.objects.filter(placement=placement).exists() and placement.cost_lines.count() == 1
    assert list(placement.episodes.values_list("start", flat=True)) == [date(2024, 10, 12)]
    assert (summary.created, summary.updated, summary.removed) == (0, 1, 0)
    assert (summary.episodes_created, summary.episodes_removed) == (1, 1)


def test_a_child_left_out_of_the_header_is_untouched(loaded, placements_officer):
    header = "CHILD,SEX,DOB\n100002,F,03/02/2015\n"
    episodes = "\n".join(line for line in EPISODES.splitlines() if not line.startswith("100001")) + "\n"
    before = sorted(Placement.objects.filter(child__reference="100001").values_list("id", "start", "end"))
    summary = import_903(*tables(header, episodes), user=placements_officer)
    after = sorted(Placement.objects.filter(child__reference="100001").values_list("id", "start", "end"))
    assert before == after and len(after) == 2
    assert Episode.objects.filter(child__reference="100001").count() == 3
    assert (summary.removed, summary.episodes_removed, summary.unchanged) == (0, 0, 1)


def test_earlier_years_placements_of_a_child_in_the_header_are_untouched(loaded, placements_officer):
    # Next year's return: 100002 carried on (RNE L) and moved; 100001 only in the new year.
    header = "CHILD,SEX,DOB\n100001,M,14/07/2010\n100002,F,03/02/2015\n"
    episodes = """CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN
100001,01/04/2025,L,C2,N1,K2,PR4,,,,RG1 7AB,OX1 2JD,SC123456
100002,01/04/2025,L,C2,N1,U4,PR4,01/07/2025,X1,,RG2 0AA,RG2 9QQ,
100002,01/07/2025,P,C2,N1,U6,PR1,,,CARPL,RG2 0AA,RG2 9QQ,
"""
    summary = import_903(*tables(header, episodes), user=placements_officer)
    assert Placement.objects.filter(child__reference="100001").count() == 2
    assert Placement.objects.filter(child__reference="100002").count() == 2
    assert (summary.created, summary.removed, summary.episodes_removed) == (1, 0, 0)


def test_a_placement_with_an_ipa_costs_or_panel_reviews_stops_the_import(loaded, placements_officer):
    AgreementFactory(placement=loaded)
    CostLineFactory(placement=loaded)
    PanelReviewFactory(placement=loaded)
    PanelReviewFactory(placement=loaded, due_on=date(2027, 3, 1))
    before = state()
    with pytest.raises(ImportFailed) as failed:
        import_903(*tables(episodes=EPISODES.replace(K2_ROW, "")), user=placements_officer)
    assert [str(e) for e in failed.value.errors] == [
        "Row 2, column 'header: CHILD': '100001': the placement from 15/09/2024 (K2) is not in this return, but "
        "an IPA, 1 cost line and 2 panel reviews are recorded against it. Correct the return if the placement did "
        "happen; if it did not, remove those records in the app first."
    ]
    assert state() == before  # nothing written


def test_placements_entered_in_the_app_are_kept_and_reported(loaded, placements_officer):
    child = Child.objects.get(reference="100002")
    by_hand = PlacementFactory(child=child, start=date(2025, 2, 1), placement_type="U4", provider_kind="PR4",
                               source=PlacementSource.APP)
    summary = import_903(*tables(), user=placements_officer)
    assert Placement.objects.filter(pk=by_hand.pk).exists() and by_hand.episodes.count() == 1
    assert (summary.removed, summary.kept, summary.episodes_removed) == (0, 1, 0)
    assert summary.kept_placements == ["100002 from 01/02/2025 (U4)"]
    assert Placement.objects.get(child=child, start=date(2024, 10, 10)).source == PlacementSource.RETURN


def test_a_corrected_return_imported_twice_changes_nothing_the_second_time(loaded, placements_officer):
    corrected = EPISODES.replace(K2_ROW, "").replace("100002,10/10/2024", "100002,12/10/2024")
    import_903(*tables(episodes=corrected), user=placements_officer)
    before = state()
    summary = import_903(*tables(episodes=corrected), user=placements_officer)
    assert state() == before
    assert [row[1:] for row in summary.table()] == [(0, 0, 0), (0, 0, 0), (0, 0, 0)]
    assert (summary.unchanged, summary.removed) == (2, 0)


def test_command_and_upload_page_show_what_was_created_updated_and_removed(loaded, tmp_path, placements_client,
                                                                           django_capture_on_commit_callbacks,
                                                                           monkeypatch):
    header, episodes = tmp_path / "header.csv", tmp_path / "episodes.csv"
    header.write_text(HEADER)
    episodes.write_text(EPISODES.replace(K2_ROW, ""))
    out = StringIO()
    call_command("import_903", header=str(header), episodes=str(episodes), stdout=out)
    text = out.getvalue()
    assert "0 created, 0 updated, 1 removed, 2 unchanged" in text
    assert "Placements          0        0        1" in text and "Episodes            0        0        1" in text
    assert "Placements no longer in the return, removed: 100001 from 15/09/2024 (K2)." in text

    monkeypatch.setattr("placements.dfe_check.dfe_check_run", lambda **kwargs: None)  # run in test_dfe_check.py
    url = reverse("placements:import_903")
    with django_capture_on_commit_callbacks(execute=True):
        response = placements_client.post(url, {"header": SimpleUploadedFile("header.csv", HEADER.encode()),
                                                "episodes": SimpleUploadedFile("episodes.csv", EPISODES.encode())})
    job_url = response["Location"]
    with django_capture_on_commit_callbacks(execute=True):
        placements_client.post(url, {"confirm": job_url.split("job=")[1]})
    html = placements_client.get(job_url).content.decode()
    assert "903 return imported" in html
    assert ('<th scope="row" class="govuk-table__header">Placements</th><td class="govuk-table__cell '
            'govuk-table__cell--numeric">1</td>') in html  # the K2 placement is back
    assert "Placements removed because" not in html
    assert "903 return imported" not in placements_client.get(url).content.decode()  # on the job's page only
