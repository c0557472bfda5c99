from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from core.imports import ImportFailed, read_table
from placements.importers import import_903
from placements.models import Child, Episode, Placement, PostcodeDistrict
from placements.tests.factories import DistrictFactory

HEADER = """CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB
100001,M,14/07/2010,WBRI,A123456789012,,
100002,F,03/02/2015,MWBC,B123456789012,1,01/05/2024
"""

EPISODES = """CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN
100001,01/04/2022,S,V2,N1,U6,PR1,01/06/2022,X1,,RG1 7AB,RG30 4XY,
100001,01/06/2022,L,C2,N1,U6,PR1,15/09/2024,X1,,RG1 7AB,RG30 4XY,
100001,15/09/2024,P,C2,N1,K2,PR4,,,STAND,RG1 7AB,OX1 2JD,SC123456
100002,10/10/2024,S,C1,N1,U4,PR4,,,,RG2 0AA,RG2 9QQ,
"""


def tables(header=HEADER, episodes=EPISODES):
    return read_table(header.encode(), "header.csv"), read_table(episodes.encode(), "episodes.csv")


@pytest.fixture
def districts(db):
    DistrictFactory(code="RG1", latitude=Decimal("51.45400"), longitude=Decimal("-0.97100"))
    DistrictFactory(code="OX1", latitude=Decimal("51.75200"), longitude=Decimal("-1.25770"))


def test_import_makes_placements_from_episodes_and_keeps_no_identifying_data(districts, placements_officer):
    summary = import_903(*tables(), user=placements_officer)
    assert summary.created == 3
    child = Child.objects.get(reference="100001")
    assert (child.birth_month, child.birth_year, child.sex, child.ethnicity) == (7, 2010, "1", "WBRI")
    first, second = Placement.objects.filter(child=child).order_by("start")
    # RNE L continued the first placement: one placement made of two episodes
    assert (first.start, first.end, first.placement_type.code) == (date(2022, 4, 1), date(2024, 9, 15), "U6")
    assert first.episodes.count() == 2
    assert first.care_period_start == second.care_period_start == date(2022, 4, 1)
    assert (first.home_district, first.placement_district) == ("RG1", "RG30")
    assert first.distance_miles is None  # RG30 centroid not known and nothing recorded
    assert second.distance_miles == Decimal("24.0") and second.ofsted_urn == "SC123456"
    assert second.route == "spot" and first.route == "in_house"
    assert second.reason_for_change.code == "STAND"
    # No UPN, no full date of birth, no full postcode anywhere in the rows written
    stored = " ".join(str(v) for v in Child.objects.values_list() .order_by("pk"))
    stored += " ".join(str(v) for v in Placement.objects.values_list())
    for secret in ("A123456789012", "B123456789012", "14/07/2010", "2010-07-14", "7AB", "4XY", "2024-05-01"):
        assert secret not in stored


def test_reimporting_the_same_return_changes_nothing(districts, placements_officer):
    import_903(*tables(), user=placements_officer)
    counts = (Child.objects.count(), Placement.objects.count(), Episode.objects.count(),
              Placement.history.count())
    summary = import_903(*tables(), user=placements_officer)
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 3)
    assert counts == (Child.objects.count(), Placement.objects.count(), Episode.objects.count(),
                      Placement.history.count())


def test_next_years_return_continues_open_placements(districts, placements_officer):
    import_903(*tables(), user=placements_officer)
    later = """CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN
100002,10/10/2024,S,C1,N1,U4,PR4,01/05/2025,X1,,RG2 0AA,RG2 9QQ,
100002,01/05/2025,L,C2,N1,U4,PR4,,,,RG2 0AA,RG2 9QQ,
"""
    header = "CHILD,SEX,DOB\n100002,F,03/02/2015\n"
    summary = import_903(*tables(header, later), user=placements_officer)
    placement = Placement.objects.get(child__reference="100002")
    assert placement.end is None and placement.episodes.count() == 2
    assert summary.created == 0


def test_a_bad_row_stops_the_whole_import_with_row_numbers(db, placements_officer):
    bad = EPISODES.replace("100002,10/10/2024,S,C1,N1,U4,PR4", "100002,31/13/2024,S,Q9,N1,U9,PR4")
    bad = bad.replace("OX1 2JD", "NOT A POSTCODE")
    with pytest.raises(ImportFailed) as failed:
        import_903(*tables(episodes=bad), user=placements_officer)
    messages = [str(e) for e in failed.value.errors]
    assert "Row 4, column 'episodes: PL_POST': 'NOT A POSTCODE' is not a postcode or postcode district" in messages
    assert any(m.startswith("Row 5, column 'episodes: DECOM': '31/13/2024' is not a date") for m in messages)
    assert "Row 5, column 'episodes: LS': 'Q9' is not an SSDA903 code" in messages
    assert "Row 5, column 'episodes: PLACE': 'U9' is not an SSDA903 code" in messages
    assert Child.objects.count() == 0 and Placement.objects.count() == 0


def test_header_problems_and_unknown_children(db, placements_officer):
    header = "CHILD,SEX,DOB\n100001,3,14/07/2010\n100001,M,14/07/2010\n"
    episodes = "CHILD,DECOM,RNE,LS,PLACE,PLACE_PROVIDER\n999999,01/04/2024,S,C2,U6,PR1\n"
    with pytest.raises(ImportFailed) as failed:
        import_903(*tables(header, episodes), user=placements_officer)
    messages = [str(e) for e in failed.value.errors]
    assert any(m.startswith("Row 2, column 'header: SEX'") for m in messages)
    assert "Row 3, column 'header: CHILD': '100001' is repeated (first in row 2)" not in messages  # row 2 was bad
    assert "Row 2, column 'episodes: CHILD': '999999' is not in the header file" in messages


def test_sex_is_read_by_the_returns_year_and_the_import_says_which_codes_it_read(db, placements_officer):
    # A 2024-25 return (latest date 10/10/2024): M, F and U
    header = "CHILD,SEX,DOB\n100001,M,14/07/2010\n100002,u,03/02/2015\n100003,F,03/02/2015\n"
    episodes = (
        "CHILD,DECOM,RNE,LS,PLACE,PLACE_PROVIDER\n100001,01/04/2024,S,C2,U6,PR1\n"
        "100002,10/10/2024,S,C2,U6,PR1\n100003,10/10/2024,S,C2,U6,PR1\n"
    )
    summary = import_903(*tables(header, episodes), user=placements_officer)
    assert dict(Child.objects.values_list("reference", "sex")) == {"100001": "1", "100002": "U", "100003": "2"}
    assert Child.objects.get(reference="100002").get_sex_display() == "Not known or indeterminate"
    assert summary.notes[-1] == "SEX read as a 2024-25 return gives it (M, F or U): M 1, F 1, U 1."
    # The same children in a 2023-24 return: 1 and 2
    earlier = episodes.replace("/2024,", "/2023,")
    header = "CHILD,SEX,DOB\n100001,1,14/07/2010\n100002,2,03/02/2015\n100003,2,03/02/2015\n"
    summary = import_903(*tables(header, earlier), user=placements_officer)
    assert summary.notes[-1] == "SEX read as a 2023-24 return gives it (1 or 2): 1 1, 2 2."
    assert Child.objects.get(reference="100002").sex == "2"


def test_sex_codes_of_another_year_are_refused_with_the_codes_to_use(db, placements_officer):
    episodes = "CHILD,DECOM,RNE,LS,PLACE,PLACE_PROVIDER\n100001,01/04/2024,S,C2,U6,PR1\n"
    with pytest.raises(ImportFailed) as failed:
        import_903(*tables("CHILD,SEX,DOB\n100001,1,14/07/2010\n", episodes), user=placements_officer)
    assert [str(e) for e in failed.value.errors if e.column == "header: SEX"] == [
        "Row 2, column 'header: SEX': '1' is a SEX code of returns until 2023-24; a 2024-25 return gives SEX as "
        "M, F or U"
    ]
    earlier = episodes.replace("2024", "2023")
    with pytest.raises(ImportFailed) as failed:
        import_903(*tables("CHILD,SEX,DOB\n100001,U,14/07/2010\n", earlier), user=placements_officer)
    assert [str(e) for e in failed.value.errors if e.column == "header: SEX"] == [
        "Row 2, column 'header: SEX': 'U' is a SEX code of returns from 2024-25; a 2023-24 return gives SEX as "
        "1 or 2"
    ]
    with pytest.raises(ImportFailed) as failed:
        import_903(*tables("CHILD,SEX,DOB\n100001,9,14/07/2010\n", episodes), user=placements_officer)
    assert [str(e) for e in failed.value.errors if e.column == "header: SEX"] == [
        "Row 2, column 'header: SEX': '9' is not a SEX code: a 2024-25 return gives SEX as M, F or U"
    ]
    assert not Child.objects.exists()


def test_the_import_page_says_which_sex_codes_it_read(placements_client, districts,
                                                      django_capture_on_commit_callbacks, monkeypatch):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    monkeypatch.setattr("placements.dfe_check.dfe_check_run", lambda **kwargs: None)  # run in test_dfe_check.py
    with django_capture_on_commit_callbacks(execute=True):
        response = placements_client.post(
            reverse("placements:import_903"),
            {
                "header": SimpleUploadedFile("header.csv", HEADER.encode()),
                "episodes": SimpleUploadedFile("episodes.csv", EPISODES.encode()),
            },
        )
    page = placements_client.get(response.url).content.decode()
    said = page.split('<p class="govuk-body" id="sex-read">')[1].split("</p>")[0]
    assert said == "SEX read as a 2024-25 return gives it (M, F or U): M 1, F 1."


def test_code_out_of_use_in_the_episode_years_is_refused(db, placements_officer):
    # Z11 begins with 2025-26 (DfE's rules); an episode of 2019-20 cannot use it.
    episodes = "CHILD,DECOM,RNE,LS,PLACE,PLACE_PROVIDER,DEC,REC\n100001,01/04/2019,S,C2,Z11,PR4,01/06/2019,E8\n"
    with pytest.raises(ImportFailed) as failed:
        import_903(*tables(episodes=episodes), user=placements_officer)
    assert "Row 2, column 'episodes: PLACE': 'Z11' was not in use between" in str(failed.value)


def test_codes_dfe_rules_accept_are_imported(db, placements_officer):
    # T1 after 2015 (DfE's rules list T0-T4) and the placement change reason CUSTOD.
    episodes = ("CHILD,DECOM,RNE,LS,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE\n"
                "100001,01/04/2019,S,C2,U4,PR4,01/05/2019,X1,\n100001,01/05/2019,P,C2,T1,PR1,,,CUSTOD\n")
    header = HEADER.replace(",M,", ",1,").replace(",F,", ",2,")  # SEX as a 2019-20 return gives it
    import_903(*tables(header, episodes), user=placements_officer)
    latest = Placement.objects.get(child__reference="100001", start=date(2019, 5, 1))
    assert (latest.placement_type.code, latest.reason_for_change.code) == ("T1", "CUSTOD")


def test_command_prints_errors_and_exits_non_zero(db, tmp_path):
    header, episodes = tmp_path / "header.csv", tmp_path / "episodes.csv"
    header.write_text(HEADER)
    episodes.write_text(EPISODES.replace("RG30 4XY", "XX"))
    err = StringIO()
    with pytest.raises(CommandError, match="Nothing imported"):
        call_command("import_903", header=str(header), episodes=str(episodes), stderr=err)
    assert "Row 2, column 'episodes: PL_POST': 'XX' is not a postcode or postcode district" in err.getvalue()
    episodes.write_text(EPISODES)
    out = StringIO()
    call_command("import_903", header=str(header), episodes=str(episodes), stdout=out)
    assert "3 created" in out.getvalue() and Placement.objects.count() == 3
    assert "SEX read as a 2024-25 return gives it (M, F or U): M 1, F 1.\n" in out.getvalue()


def test_load_postcode_districts_command(db, tmp_path):
    path = tmp_path / "districts.csv"
    path.write_text("district,latitude,longitude,local_authority\nRG1,51.454,-0.971,Reading\nrg30 4xy,51.46,-1.01,\n")
    out = StringIO()
    call_command("load_postcode_districts", str(path), stdout=out)
    assert "2 created" in out.getvalue()
    assert set(PostcodeDistrict.objects.values_list("code", flat=True)) == {"RG1", "RG30"}
    call_command("load_postcode_districts", str(path), stdout=out)
    assert "0 created, 0 updated, 2 unchanged" in out.getvalue()
    path.write_text("district,latitude,longitude\nRG1,151.454,-0.971\n")
    with pytest.raises(CommandError):
        call_command("load_postcode_districts", str(path), stdout=out, stderr=StringIO())


def test_loading_centroids_later_works_out_distances(db, placements_officer, tmp_path):
    import_903(*tables(), user=placements_officer)
    placement = Placement.objects.get(child__reference="100002")
    assert placement.distance_miles is None and placement.in_area is None
    path = tmp_path / "districts.csv"
    path.write_text("district,latitude,longitude,local_authority\nRG2,51.431,-0.956,Reading\n")
    out = StringIO()
    call_command("load_postcode_districts", str(path), stdout=out)
    placement.refresh_from_db()
    assert placement.distance_miles == Decimal("0.0")


def test_optional_distance_and_location_columns(db, placements_officer):
    episodes = ("CHILD,DECOM,RNE,LS,PLACE,PLACE_PROVIDER,PL_DISTANCE,PL_LOCATION,PL_LA\n"
                "100001,01/04/2024,S,C2,U4,PR4,27.46,OUT,E06000038\n"
                "100002,01/05/2024,S,C2,U6,PR1,,IN,\n")
    import_903(*tables(episodes=episodes), user=placements_officer)
    far = Placement.objects.get(child__reference="100001")
    near = Placement.objects.get(child__reference="100002")
    assert (far.distance_miles, far.recorded_distance_miles, far.in_area) == (Decimal("27.5"), Decimal("27.5"), False)
    assert (near.distance_miles, near.in_area) == (None, True)
    bad = "CHILD,DECOM,RNE,LS,PLACE,PLACE_PROVIDER,PL_DISTANCE,PL_LOCATION\n100001,01/04/2024,S,C2,U4,PR4,far,ABROAD\n"
    with pytest.raises(ImportFailed) as failed:
        import_903(*tables(episodes=bad), user=placements_officer)
    assert {e.column for e in failed.value.errors} == {"episodes: PL_DISTANCE", "episodes: PL_LOCATION"}
