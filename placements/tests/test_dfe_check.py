"""The DfE validation report: the DfE's 903 rules (csc-validator-be-903) run by a worker on each uploaded
return; findings by rule on the import page; the return's tables held only until the check has run."""

import csv
import io
import re
from datetime import timedelta
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.imports import read_table
from placements import dfe_check, tasks
from placements.importers import check_903
from placements.models import DfeCheck, DfeCheckUpload, DfeFinding, Placement
from placements.tests.test_import_903 import EPISODES, HEADER

# Known DfE errors (2024-25 rules): SEX must be M, F or U (rule 101: 1 and 2, as until 2023-24, on the first two
# rows, which the import refuses too); 100003 has an ethnicity that is no code (103) and a DEC with no REC (148);
# 100002 is recorded as a mother at 9 (620).
BAD_HEADER = HEADER.replace(",M,", ",1,").replace(",F,", ",2,") + "100003,M,03/02/2012,XXXX,UN1,,\n"
BAD_EPISODES = EPISODES + "100003,10/10/2024,S,C1,N1,U4,PR4,01/12/2024,,,RG2 0AA,RG2 9QQ,\n"


def held(header=BAD_HEADER, episodes=BAD_EPISODES):
    return {
        "header": dfe_check.held_table(
            read_table(header.encode(), "header.csv"), dfe_check.HEADER_COLUMNS, dfe_check.HEADER_IF_GIVEN
        ),
        "episodes": dfe_check.held_table(read_table(episodes.encode(), "episodes.csv"), dfe_check.EPISODE_COLUMNS),
    }


def by_code(result):
    return {r.code: r for r in result.results}


def test_the_dfe_rules_report_known_errors_by_rule_with_their_rows():
    tables = held()
    year = dfe_check.return_collection_year(tables["episodes"])
    assert year == 2025  # the latest date, 01/12/2024, is in 2024-25
    result = dfe_check.rules_check(tables, collection_year=year, local_authority="E06000038")
    found = by_code(result)
    assert found["101"].rows == [("header", 2, "100001"), ("header", 3, "100002")]
    assert found["103"].rows == [("header", 4, "100003")]
    assert found["103"].description == "The ethnicity code is either not valid or has not been entered."
    assert found["148"].rows == [("episodes", 6, "100003")]
    assert found["148"].fields == ["DEC", "REC"]
    assert found["620"].rows == [("header", 3, "100002")]
    assert result.collection_year == 2025 and result.rules_run > 100 and result.not_applicable > 100
    assert "100001" not in {row[2] for row in found["103"].rows + found["148"].rows}  # the good child is clean
    # A 2024-25 rule reads UASC_STATUS, which this header does not have: said in plain words
    assert found["231"].rows == [] and found["231"].error == (
        "It needs the UASC_STATUS column of the header file, which this return does not have."
    )


def test_uasc_status_is_held_when_the_header_has_it_and_its_rule_runs(db):
    # 2024-25 headers may carry UASC_STATUS: 100002, born 2015, under 11 at 31/03/2025, is recorded as UASC
    lines = HEADER.splitlines()
    header = "\n".join([lines[0] + ",UASC_STATUS", lines[1] + ",0", lines[2] + ",1"]) + "\n"
    tables = held(header, EPISODES)
    assert tables["header"]["columns"][-1] == "uasc_status" and tables["header"]["rows"][1][-1] == "1"
    result = dfe_check.rules_check(tables, collection_year=2025, local_authority="E06000038")
    assert by_code(result)["231"].rows == [("header", 3, "100002")] and not by_code(result)["231"].error
    # The import takes such a header too, and keeps nothing of the column
    assert check_903(read_table(header.encode(), "header.csv"), read_table(EPISODES.encode(), "e.csv")).errors == []


def test_a_rule_that_raises_is_reported_and_the_others_still_run(caplog):
    from lac_validator.rule_engine import RuleDefinition
    from lac_validator.rules.ruleset_utils import get_year_ruleset

    def broken(dfs):
        raise ValueError("cannot compare dates")

    def unplaceable(dfs):
        return {"Episodes": ["not a row"]}

    year_rules = get_year_ruleset("2025")
    registry = {
        "099": RuleDefinition(code="099", func=broken, message="Something about dates."),
        "098": RuleDefinition(code="098", func=unplaceable, message="Rows the report cannot place."),
        "103": year_rules["103"],
        "148": year_rules["148"],
    }
    result = dfe_check.rules_check(held(), collection_year=2025, local_authority="E06000038", registry=registry)
    found = by_code(result)
    stopped = (
        "The rule stopped with an error of its own on this return, so it says nothing either way; "
        "the details are in the worker's log."
    )
    assert found["099"].error == stopped and found["099"].rows == []
    assert found["103"].rows == [("header", 4, "100003")] and found["148"].rows == [("episodes", 6, "100003")]
    assert found["098"].error == stopped and found["098"].rows == []
    # The traceback is in the log, not on the page
    logged = {r.getMessage(): r for r in caplog.records if r.name == "placements.dfe_check"}
    assert "ValueError: cannot compare dates" in caplog.text and "Traceback" in caplog.text
    assert set(logged) == {"DfE rule 098 could not be checked", "DfE rule 099 could not be checked"}
    assert [r.code for r in result.results] == ["098", "099", "103", "148"] and result.rules_run == 2


def test_a_year_the_validator_has_no_rules_for_uses_the_nearest_and_says_so():
    early = EPISODES.replace("2022", "2012").replace("2024", "2014")
    result = dfe_check.rules_check(held(HEADER, early), collection_year=2015, local_authority="E06000038", registry={})
    assert (result.collection_year, result.ruleset_year) == (2015, 2023)
    assert result.notes == [
        "The validator has no rules for 2014-15: its nearest, the 2022-23 rules, were used, checked as at the "
        "return's own year end (31 March 2015)."
    ]
    late = dfe_check.rules_check(held(), collection_year=2031, local_authority="E06000038", registry={})
    assert (late.collection_year, late.ruleset_year) == (2031, max(dfe_check._ruleset_years()))


def test_the_rules_are_checked_as_at_the_returns_own_year_end():
    seen = []

    def as_at(dfs):
        seen.append(dfs["metadata"]["collection_end"])
        return {"Header": []}

    from lac_validator.rule_engine import RuleDefinition

    registry = {"900": RuleDefinition(code="900", func=as_at, message="Sees the year end.")}
    dfe_check.rules_check(held(), collection_year=2015, local_authority="E06000038", registry=registry)
    dfe_check.rules_check(held(), collection_year=2025, local_authority="E06000038", registry=registry)
    assert seen == ["31/03/2015", "31/03/2025"]


def test_each_rule_gets_its_own_copy_of_the_return():
    from lac_validator.rule_engine import RuleDefinition

    def clobber(dfs):
        # As some of the package's rules do: write over cells of the tables they are given
        dfs["Episodes"].loc[:, "DECOM"] = "01/01/1901"
        dfs["metadata"]["collection_end"] = "31/03/1901"
        return {"Episodes": []}

    def reads(dfs):
        late = dfs["Episodes"]["DECOM"] == "10/10/2024"
        wrong_year = dfs["metadata"]["collection_end"] != "31/03/2025"
        return {"Episodes": dfs["Episodes"].index[late].tolist(), "Header": [0] if wrong_year else []}

    registry = {
        "901": RuleDefinition(code="901", func=clobber, message="Changes its tables."),
        "902": RuleDefinition(code="902", func=reads, message="Reads them after."),
    }
    result = dfe_check.rules_check(held(), collection_year=2025, local_authority="E06000038", registry=registry)
    # 902 still sees the return as uploaded: the two episodes from 10/10/2024, as at 31/03/2025
    assert [r.rows for r in result.results] == [[("episodes", 5, "100002"), ("episodes", 6, "100003")]]


def test_the_council_is_found_by_name_or_code(settings):
    settings.PLACEMENTS_LOCAL_AUTHORITY = "Reading"
    assert dfe_check.local_authority_code() == "E06000038"
    settings.PLACEMENTS_LOCAL_AUTHORITY = "e06000038"
    assert dfe_check.local_authority_code() == "E06000038"
    settings.PLACEMENTS_LOCAL_AUTHORITY = "Nowhere"
    assert dfe_check.local_authority_code() == ""


def _upload(client, header=BAD_HEADER, episodes=BAD_EPISODES, **kwargs):
    return client.post(
        reverse("placements:import_903"),
        {
            "header": SimpleUploadedFile("header.csv", header.encode()),
            "episodes": SimpleUploadedFile("episodes.csv", episodes.encode()),
        },
        **kwargs,
    )


def test_an_upload_is_checked_by_the_worker_and_the_page_shows_the_findings(
    placements_client, django_capture_on_commit_callbacks
):
    # A column the rules do not read (a name, here) makes the import refuse the return; the check still runs,
    # and the column is never held.
    header = BAD_HEADER.replace("MC_DOB\n", "MC_DOB,FORENAME\n", 1)
    with (
        mock.patch("placements.tasks.dfe_check_run.apply_async") as send,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = _upload(placements_client, header=header)
    response = placements_client.get(response.url)
    assert "The return cannot be imported as it is" in response.content.decode() and Placement.objects.count() == 0
    check = DfeCheck.objects.get()
    send.assert_called_once_with((check.pk,), {}, retry=False)  # sent to the worker through the outbox, not run here
    upload = DfeCheckUpload.objects.get(check_run=check)
    assert upload.header["columns"] == ["child", "sex", "dob", "ethnic", "upn", "mother", "mc_dob"]
    assert upload.header["rows"][2] == [4, "100003", "M", "03/02/2012", "XXXX", "UN1", "", ""]

    page = placements_client.get(reverse("placements:import_903")).content.decode()
    assert "Waiting to run" in page and 'hx-trigger="every 5s"' in page and "htmx.min.js" in page

    tasks.dfe_check_run.apply(args=(check.pk,))
    check.refresh_from_db()
    assert check.status == "done" and check.collection_year == 2025
    assert re.fullmatch(r"\d+\.\d+\.\d+", check.validator_version)
    assert not DfeCheckUpload.objects.exists()  # the return's data is gone once checked
    page = placements_client.get(reverse("placements:import_903")).content.decode()
    assert "hx-trigger" not in page and "htmx.min.js" not in page
    assert "2024-25 collection year" in page
    rule = page.split('id="dfe-rule-148"')[1].split("</tr>")[0]
    assert "Date episode ceased and reason episode ceased must both be coded" in rule
    assert "Episodes row 6, CHILD 100003" in rule and 'govuk-table__cell--numeric">1</td>' in rule
    rule = page.split('id="dfe-rule-101"')[1].split("</tr>")[0]
    assert "Header row 2, CHILD 100001" in rule and "Header row 3, CHILD 100002" in rule and ">2</td>" in rule

    rows = placements_client.get(reverse("placements:dfe_check_rows", args=[check.pk])).content.decode()
    lines = list(csv.reader(io.StringIO(rows)))
    assert lines[0] == ["rule", "description", "file", "row", "child"]
    assert ["148", check.findings.get(rule_code="148").description, "episodes", "6", "100003"] in lines


def test_the_held_return_is_deleted_when_the_check_fails(placements_officer):
    check = dfe_check.dfe_check_request(
        header=read_table(HEADER.encode(), "h.csv"),
        episodes=read_table(EPISODES.encode(), "e.csv"),
        user=placements_officer,
    )
    with mock.patch("placements.dfe_check.rules_check", side_effect=RuntimeError("postcode data missing")):
        tasks.dfe_check_run.apply(args=(check.pk,))
    check.refresh_from_db()
    assert (check.status, check.error) == ("failed", "RuntimeError: postcode data missing")
    assert not DfeCheckUpload.objects.exists()
    # Delivered again (a worker restart): nothing is held, so nothing runs and the result stands
    with mock.patch("placements.dfe_check.rules_check") as again:
        tasks.dfe_check_run.apply(args=(check.pk,))
    again.assert_not_called()


def test_the_page_says_when_the_check_or_one_rule_could_not_run(placements_client):
    check = DfeCheck.objects.create(status="done", collection_year=2025, finished_at=timezone.now())
    DfeFinding.objects.create(
        check_run=check,
        rule_code="231",
        description="UASC children are generally older.",
        error="It needs the UASC_STATUS column of the header file, which this return does not have.",
    )
    page = placements_client.get(reverse("placements:import_903")).content.decode()
    row = page.split('id="dfe-rule-231"')[1].split("</tr>")[0]
    assert (
        "Rule 231 could not be checked:</strong> It needs the UASC_STATUS column of the header file, "
        "which this return does not have." in row
    )
    DfeFinding.objects.create(
        check_run=check,
        rule_code="392c",
        description="Postcode(s) provided are invalid.",
        row_count=25000,
        rows=[["episodes", 2, "100001"], ["episodes", 3, "100001"]],
    )
    page = placements_client.get(reverse("placements:import_903")).content.decode()
    row = page.split('id="dfe-rule-392c"')[1].split("</tr>")[0]
    assert "The first 2 rows are kept, here and in the CSV." in row and ">25,000</td>" in row
    DfeCheck.objects.create(
        status="failed",
        error="The check took too long and was stopped.",
        episodes_file="episodes.csv",
        finished_at=timezone.now(),
    )
    page = placements_client.get(reverse("placements:import_903")).content.decode()
    assert "The check could not run: The check took too long and was stopped." in page


def test_returns_held_longer_than_a_day_are_swept(db, settings):
    settings.DFE_CHECK_UPLOAD_MAX_HOURS = 24
    tables = read_table(HEADER.encode(), "h.csv"), read_table(EPISODES.encode(), "e.csv")
    old, new = (dfe_check.dfe_check_request(header=tables[0], episodes=tables[1]) for _ in range(2))
    DfeCheckUpload.objects.filter(check_run=old).update(created=timezone.now() - timedelta(hours=25))
    tasks.dfe_check_uploads_sweep.apply()
    assert list(DfeCheckUpload.objects.values_list("check_run_id", flat=True)) == [new.pk]
    old.refresh_from_db()
    assert old.status == "failed" and "did not run within 24 hours" in old.error
    assert DfeCheck.objects.get(pk=new.pk).status == "queued"


def test_the_held_return_has_no_history_and_its_content_is_not_in_the_admin(admin_user_client):
    assert not hasattr(DfeCheckUpload, "history")
    check = dfe_check.dfe_check_request(
        header=read_table(HEADER.encode(), "h.csv"), episodes=read_table(EPISODES.encode(), "e.csv")
    )
    listing = admin_user_client.get(reverse("admin:placements_dfecheckupload_changelist")).content.decode()
    assert str(check) in listing and "A123456789012" not in listing
    detail = admin_user_client.get(reverse("admin:placements_dfecheckupload_change", args=[check.upload.pk]))
    assert detail.status_code in (302, 403)


def test_import_903_command_queues_the_check_with_a_flag(tmp_path, db, django_capture_on_commit_callbacks):
    (tmp_path / "header.csv").write_text(HEADER)
    (tmp_path / "episodes.csv").write_text(EPISODES)
    out = io.StringIO()
    with (
        mock.patch("placements.tasks.dfe_check_run.apply_async") as send,
        django_capture_on_commit_callbacks(execute=True),
    ):
        call_command(
            "import_903",
            "--header",
            str(tmp_path / "header.csv"),
            "--episodes",
            str(tmp_path / "episodes.csv"),
            "--dfe-check",
            stdout=out,
        )
    check = DfeCheck.objects.get()
    assert f"DfE check {check.pk} queued" in out.getvalue() and check.episodes_file == "episodes.csv"
    send.assert_called_once_with((check.pk,), {}, retry=False)
    call_command(
        "import_903",
        "--header",
        str(tmp_path / "header.csv"),
        "--episodes",
        str(tmp_path / "episodes.csv"),
        stdout=io.StringIO(),
    )
    assert DfeCheck.objects.count() == 1  # without the flag, no check


def test_the_page_reads_the_findings_in_a_fixed_number_of_queries(placements_client):
    def queries(findings):
        DfeCheck.objects.all().delete()
        check = DfeCheck.objects.create(status="done", collection_year=2025, finished_at=timezone.now())
        DfeFinding.objects.bulk_create(
            [
                DfeFinding(
                    check_run=check,
                    rule_code=str(100 + i),
                    description="A rule.",
                    row_count=3,
                    rows=[["episodes", 2, "100001"], ["episodes", 3, "100001"], ["header", 2, "100001"]],
                )
                for i in range(findings)
            ]
        )
        with CaptureQueriesContext(connection) as ctx:
            page = placements_client.get(reverse("placements:import_903")).content.decode()
        assert page.count('id="dfe-rule-') == findings
        return len(ctx.captured_queries)

    assert queries(1) == queries(40)
