"""The 903 upload page: the worker checks the return, the page shows what importing would create, update and remove
(children by CHILD reference), the worker imports it once confirmed, and removals are confirmed apart. The files are
held only until they have been checked."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import HeldUpload, ImportRecord, PendingTask
from placements.importers import import_903
from placements.models import Child, DfeCheck, Placement, ReturnImport
from placements.tests.factories import AgreementFactory
from placements.tests.test_import_903 import EPISODES, HEADER, districts, tables  # noqa: F401 - a fixture
from placements.tests.test_import_903_corrections import K2_ROW
from placements.tests.test_import_903_skip import BAD_EPISODES, BAD_HEADER

pytestmark = pytest.mark.django_db

URL = reverse("placements:import_903")


def files(header=HEADER, episodes=EPISODES):
    return {"header": SimpleUploadedFile("header.csv", header.encode()),
            "episodes": SimpleUploadedFile("episodes.csv", episodes.encode())}


@pytest.fixture(autouse=True)
def dfe_rules_not_run(monkeypatch):
    # The DfE check is requested with every upload (test_dfe_check.py runs its rules); running them here is slow.
    monkeypatch.setattr("placements.dfe_check.dfe_check_run", lambda **kwargs: None)


@pytest.fixture
def upload(placements_client, django_capture_on_commit_callbacks):
    """Post both files and let the worker check them (the test settings run a queued job at once). The job's
    address."""

    def post(header=HEADER, episodes=EPISODES) -> str:
        with django_capture_on_commit_callbacks(execute=True):
            response = placements_client.post(URL, files(header, episodes))
        assert response.status_code == 302 and response.url.startswith(f"{URL}?job=")
        return response.url

    return post


def confirm(client, job_url, capture, **data):
    token = job_url.split("job=")[1]
    with capture(execute=True):
        return client.post(URL, {"confirm": token, **data})


def held_keys():
    return sorted(key.split(":")[0] for key in HeldUpload.objects.values_list("key", flat=True))


def test_the_request_only_holds_the_files_and_queues_the_check(placements_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as queued:
        response = placements_client.post(URL, files())
    assert len(queued) == 1 and PendingTask.objects.get().task == "placements.tasks.return_upload_check"
    assert held_keys() == ["placements-903-files", "placements-903-job"]
    waiting = placements_client.get(response.url).content.decode()
    assert 'id="import-job-stage">Waiting to start<' in waiting and 'hx-trigger="every 2s"' in waiting
    assert "header.csv and episodes.csv are being checked." in waiting
    assert not Child.objects.exists()


def test_check_shows_what_would_change_then_imports_on_confirmation(
        placements_client, upload, placements_officer, django_capture_on_commit_callbacks, districts):  # noqa: F811
    job_url = upload()
    page = placements_client.get(job_url).content.decode()
    assert "Check what the return would change" in page and 'hx-trigger="every 2s"' not in page
    changes = page.split('id="changes"')[1].split("</table>")[0]
    placements_row = changes.split(">Placements<")[1].split("</tr>")[0]
    assert [c.split("</td>")[0] for c in placements_row.split('numeric">')[1:]] == ["3", "0", "0"]
    assert "<li>100001</li><li>100002</li>" in page
    assert "confirm_removals" not in page  # nothing to remove, nothing to confirm apart
    assert DfeCheck.objects.get().header_file == "header.csv"  # the DfE's rules are queued with every check
    assert not Child.objects.exists() and not ImportRecord.objects.exists()  # nothing saved before confirming
    # The files are gone once checked; what waits is the checked return, without dates of birth or postcodes.
    assert held_keys() == ["placements-903-checked", "placements-903-job"]
    held = bytes(HeldUpload.objects.get(key__startswith="placements-903-checked").value)
    assert b"14/07/2010" not in held and b"RG1 7AB" not in held and b"A123456789012" not in held

    response = confirm(placements_client, job_url, django_capture_on_commit_callbacks)
    assert response.status_code == 302 and response.url == job_url
    done = placements_client.get(job_url).content.decode()
    assert "903 return imported" in done and "Placements: 3 created, 0 updated, 0 removed" in done
    children = dict(Child.objects.values_list("reference", "pk"))
    for ref in ("100001", "100002"):
        assert f'<a class="govuk-link" href="{reverse("placements:child", args=[children[ref]])}">{ref}</a>' in done
    record = ImportRecord.objects.get()
    assert (record.area, record.kind, record.filename, record.created, record.imported_by) == (
        "placements", "903", "header.csv and episodes.csv", 3, placements_officer)
    assert ReturnImport.objects.get().get_absolute_url() in done
    assert held_keys() == ["placements-903-job"]
    assert record.filename in placements_client.get(reverse("placements:imports")).content.decode()


def test_removals_are_listed_and_confirmed_apart(
        placements_client, upload, placements_officer, django_capture_on_commit_callbacks, districts):  # noqa: F811
    import_903(*tables(), user=placements_officer)
    job_url = upload(episodes=EPISODES.replace(K2_ROW, ""))
    page = placements_client.get(job_url).content.decode()
    assert "1 placement recorded from earlier returns is not in this return and would be removed." in page
    assert '<ul class="govuk-list govuk-list--bullet" id="removed-placements"><li>100001 from 15/09/2024 (K2)</li>' \
           in page
    assert "Yes, remove the 1 placement listed above" in page

    refused = confirm(placements_client, job_url, django_capture_on_commit_callbacks)
    html = refused.content.decode()
    assert refused.status_code == 200 and html.count("Confirm that the placements listed should be removed") == 2
    assert '<a href="#id_confirm_removals">' in html and "<title>Error: " in html
    assert Placement.objects.count() == 3  # nothing removed without the second confirmation

    response = confirm(placements_client, job_url, django_capture_on_commit_callbacks, confirm_removals="on")
    assert response.status_code == 302
    assert Placement.objects.count() == 2
    done = placements_client.get(job_url).content.decode()
    assert "Placements: 0 created, 0 updated, 1 removed" in done and "100001 from 15/09/2024 (K2)" in done


def test_an_import_that_would_now_remove_other_placements_is_refused(
        placements_client, upload, placements_officer, django_capture_on_commit_callbacks, districts):  # noqa: F811
    job_url = upload(episodes=EPISODES.replace(K2_ROW, ""))
    assert "would be removed" not in placements_client.get(job_url).content.decode()
    import_903(*tables(), user=placements_officer)  # meanwhile someone imports the K2 placement
    confirm(placements_client, job_url, django_capture_on_commit_callbacks)
    page = placements_client.get(job_url).content.decode()
    assert "it would now remove different placements. Nothing was saved." in page
    assert Placement.objects.count() == 3 and ImportRecord.objects.count() == 0


def test_problems_name_the_child_on_every_row_and_the_good_children_can_be_imported(
        placements_client, upload, django_capture_on_commit_callbacks):
    job_url = upload(BAD_HEADER, BAD_EPISODES)
    page = placements_client.get(job_url)
    html = page.content.decode()
    assert "The return cannot be imported as it is: 3 problems found" in html
    rows = html.split('id="import-errors"')[1].split("<tbody")[1].split("</tbody>")[0].split("<tr")[1:]
    assert [r.split('govuk-table__cell">')[1].split("<")[0] for r in rows] == ["100004", "100003", "100004"]
    assert "01/01/2012" not in html  # problems shown and held never repeat a date of birth
    skip = html.split('id="skip-choice"')[1]
    assert "2 children in this return have no problems" in skip and "<li>100001</li><li>100002</li>" in skip
    assert "Import the children with no problems" in skip
    assert not Child.objects.exists()

    response = confirm(placements_client, job_url, django_capture_on_commit_callbacks, skip="yes")
    assert response.status_code == 302
    assert set(Child.objects.values_list("reference", flat=True)) == {"100001", "100002"}
    done = placements_client.get(job_url).content.decode()
    assert "2 children with problems were not imported" in done
    # The choice is used once: the same token again does nothing more.
    confirm(placements_client, job_url, django_capture_on_commit_callbacks, skip="yes")
    assert ReturnImport.objects.count() == 1


def test_a_file_that_cannot_be_read_is_named(placements_client, upload):
    job_url = upload(episodes="\x00\x01binary")
    html = placements_client.get(job_url).content.decode()
    assert "The return cannot be imported as it is: 1 problem found" in html
    assert "Whole file" in html and "episodes file" in html
    assert held_keys() == ["placements-903-job"]  # the files are deleted whatever the check found


def test_cancel_deletes_everything_held(placements_client, upload):
    job_url = upload()
    response = placements_client.post(URL, {"cancel": job_url.split("job=")[1]}, follow=True)
    assert "The upload was cancelled and its files deleted. Nothing was imported." in response.content.decode()
    assert not HeldUpload.objects.exists() and not Child.objects.exists()
    gone = placements_client.get(job_url).content.decode()
    assert "The check has expired or was cancelled: upload both files again" in gone


def test_each_missing_file_is_asked_for_in_govuk_words(placements_client):
    html = placements_client.post(URL, {}).content.decode()
    assert '<a href="#id_header">Select the header file</a>' in html
    assert '<a href="#id_episodes">Select the episodes file</a>' in html
    assert not HeldUpload.objects.exists()


@pytest.mark.parametrize("file, first_columns", [("header", ["CHILD", "SEX", "DOB", "ETHNIC"]),
                                                 ("episodes", ["CHILD", "DECOM", "RNE", "LS", "PLACE"])])
def test_templates_carry_the_903_columns(placements_client, file, first_columns):
    page = placements_client.get(URL).content.decode()
    url = reverse("placements:import_903_template", args=[file])
    assert f'href="{url}"' in page
    response = placements_client.get(url)
    assert response["Content-Disposition"] == f'attachment; filename="903-{file}-template.csv"'
    columns = next(csv.reader(io.StringIO(response.content.decode())))
    assert columns[:len(first_columns)] == first_columns and "UPN" not in columns[len(first_columns):][:0]
    assert placements_client.get(reverse("placements:import_903_template", args=["other"])).status_code == 404


def test_the_job_page_takes_the_same_queries_whatever_the_return(
        placements_client, upload, django_assert_max_num_queries, placements_officer):
    import_903(*tables(), user=placements_officer)
    job_url = upload()
    with django_assert_max_num_queries(12):
        placements_client.get(job_url)


def test_a_placement_with_an_ipa_is_never_removed(placements_client, upload, placements_officer):
    import_903(*tables(), user=placements_officer)
    AgreementFactory(placement=Placement.objects.get(placement_type__code="K2"))
    job_url = upload(episodes=EPISODES.replace(K2_ROW, ""))
    html = placements_client.get(job_url).content.decode()
    assert "The return cannot be imported as it is: 1 problem found" in html
    row = html.split('id="import-errors"')[1].split("<tbody")[1].split("</tr>")[0]
    assert ">100001<" in row and "an IPA is recorded against it" in row


def test_no_choice_is_offered_when_no_child_is_good(placements_client, upload):
    job_url = upload("CHILD,SEX,DOB\n100003,M,01/01/2012\n",
                     "CHILD,DECOM,RNE,LS,PLACE,PLACE_PROVIDER\n100003,01/05/2024,S,C2,Q9,PR4\n")
    html = placements_client.get(job_url).content.decode()
    assert "1 problem found" in html and 'id="skip-choice"' not in html and 'name="confirm"' not in html
    assert held_keys() == ["placements-903-job"]  # nothing to import, so no checked rows are held


def test_nothing_held_or_shown_repeats_a_birth_date_or_postcode(placements_client, upload):
    header = BAD_HEADER + "100005,M,31/02/2012,WBRI,,,\n"
    episodes = BAD_EPISODES + "100005,01/05/2024,S,C2,N1,U4,PR4,,,,RG1 7ABX Y,RG2 9QQ,\n"
    job_url = upload(header, episodes)
    html = placements_client.get(job_url).content.decode()
    assert "the value given is not a date" in html
    for value in (b"31/02/2012", b"7ABX", b"01/01/2012"):
        assert value.decode() not in html
        assert not any(value in bytes(held) for held in HeldUpload.objects.values_list("value", flat=True))
