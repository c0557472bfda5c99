import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from placements.models import ChildPageView, CostLine, CostStatus, PanelReview, Placement, PlacementAgreement
from placements.tests.factories import (
    AgreementFactory,
    ChildFactory,
    CostLineFactory,
    PanelReviewFactory,
    PlacementFactory,
)
from placements.tests.test_import_903 import EPISODES, HEADER

TODAY = timezone.localdate()


def make_world(n):
    """n children each in a current external placement with a cost, an IPA and a panel review due."""
    for i in range(n):
        child = ChildFactory()
        placement = PlacementFactory(child=child, start=TODAY - timedelta(days=100 + i), placement_type="K2" if i % 2
                                     else "U4", provider_kind="PR4", route="spot" if i % 3 else "framework",
                                     distance_miles=Decimal(10 + i * 7))
        CostLineFactory(placement=placement, weekly_amount=Decimal(900 + i * 100))
        CostLineFactory(placement=placement, kind="uplift", weekly_amount=Decimal(500), status="awaiting_approval")
        AgreementFactory(placement=placement, status="drafted", drafted_on=placement.start)
        PanelReviewFactory(placement=placement, due_on=TODAY + timedelta(days=i))


@pytest.mark.parametrize("name", ["placements:index", "placements:list", "placements:ipa_queue",
                                  "placements:panel_reviews", "placements:cost_approvals"])
def test_pages_run_the_same_number_of_queries_at_two_sizes(placements_client, name, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_world(3)
    with CaptureQueriesContext(connection) as small:
        assert placements_client.get(reverse(name)).status_code == 200
    make_world(12)
    with django_assert_num_queries(len(small.captured_queries)):
        assert placements_client.get(reverse(name)).status_code == 200


def test_child_page_queries_do_not_grow_with_placements(placements_client, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    child = ChildFactory()
    PlacementFactory(child=child, start=date(2020, 1, 1), end=date(2021, 1, 1))
    url = reverse("placements:child", args=[child.pk])
    with CaptureQueriesContext(connection) as small:
        placements_client.get(url)
    for year in range(2021, 2026):
        PlacementFactory(child=child, start=date(year, 1, 1), end=date(year + 1, 1, 1), provider_kind="PR4")
    with django_assert_num_queries(len(small.captured_queries)):
        placements_client.get(url)


def test_dashboard_shows_the_figures(placements_client):
    make_world(8)
    response = placements_client.get(reverse("placements:index"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<dd class="govuk-summary-list__value" id="looked-after">8</dd>' in html
    assert "3 or more placements in the year" in html
    assert 'id="ipas-unsigned">8</dd>' in html
    assert '<svg' in html and 'role="img"' in html  # charts with tables beside them
    assert 'id="by-type"' in html and "[c]" not in html  # placements officers see every number


def test_committee_officer_sees_the_dashboard_suppressed_and_no_child_links(committee_client):
    make_world(4)
    html = committee_client.get(reverse("placements:index")).content.decode()
    assert 'id="looked-after">[c]</dd>' in html
    assert reverse("placements:list") not in html and reverse("placements:ipa_queue") not in html


def test_dashboard_as_of_a_date_and_bad_dates(placements_client):
    make_world(3)
    past = (TODAY - timedelta(days=1000)).strftime("%d/%m/%Y")
    html = placements_client.get(reverse("placements:index"), {"as_of": past}).content.decode()
    assert 'id="looked-after">0</dd>' in html
    response = placements_client.get(reverse("placements:index"), {"as_of": "31/02/2025"})
    assert response.status_code == 200 and "Error: " in response.content.decode()


def test_placement_list_filters(placements_client):
    make_world(6)
    PlacementFactory(start=TODAY - timedelta(days=10), placement_type="U6", provider_kind="PR1")
    url = reverse("placements:list")
    assert "7 placements shown" in placements_client.get(url).content.decode()
    html = placements_client.get(url, {"ipa_status": "unsigned"}).content.decode()
    assert "6 placements shown" in html
    html = placements_client.get(url, {"over_20_miles": "on"}).content.decode()
    assert "4 placements shown" in html  # distances 10, 17, 24, 31, 38, 45
    html = placements_client.get(url, {"weekly_cost_min": "1200", "weekly_cost_max": "1400"}).content.decode()
    assert "3 placements shown" in html
    html = placements_client.get(url, {"route": "framework"}).content.decode()
    assert "2 placements shown" in html
    for bad in ({"placement_type": "999"}, {"weekly_cost_min": "lots"}, {"page": "x"}, {"sort": "nonsense"}):
        assert placements_client.get(url, bad).status_code in (200, 404)


def test_child_page_records_each_view_and_shows_timeline(placements_client, placements_officer):
    placement = PlacementFactory(start=date(2024, 5, 1), placement_type="K2", provider_kind="PR4")
    url = reverse("placements:child", args=[placement.child_id])
    html = placements_client.get(url).content.decode()
    placements_client.get(url)
    assert ChildPageView.objects.filter(child=placement.child, user=placements_officer).count() == 2
    assert "1 May 2024 to now: K2" in html
    assert "<svg" in html and "K2 from 01 May 2024 to now" in html  # the timeline chart and its description
    assert placements_client.get(reverse("placements:child", args=[999999])).status_code == 404


def test_committee_officer_and_viewer_cannot_open_child_pages(committee_client):
    placement = PlacementFactory()
    assert committee_client.get(reverse("placements:child", args=[placement.child_id])).status_code == 403
    assert ChildPageView.objects.count() == 0


def test_ipa_queue_lists_unsigned_oldest_first(placements_client):
    old = PlacementFactory(start=TODAY - timedelta(days=300), provider_kind="PR4")
    new = PlacementFactory(start=TODAY - timedelta(days=20), provider_kind="PR5")
    AgreementFactory(placement=PlacementFactory(provider_kind="PR4", start=TODAY - timedelta(days=50)),
                     status="signed", drafted_on=TODAY, issued_on=TODAY, signed_on=TODAY)
    PlacementFactory(provider_kind="PR1")  # in-house: no IPA needed
    html = placements_client.get(reverse("placements:ipa_queue")).content.decode()
    assert "2 external placements running" in html
    assert html.index(old.child.reference) < html.index(new.child.reference)
    assert "Not started" in html


def test_cost_change_needs_a_second_person_above_the_threshold(client, make_user):
    officer, second = make_user("Placements officer", "officer_a"), make_user("Commissioner", "commissioner_b")
    placement = PlacementFactory(start=date(2025, 1, 1), provider_kind="PR4")
    CostLineFactory(placement=placement, weekly_amount=Decimal("4000"), effective_from=date(2025, 1, 1))
    client.force_login(officer)
    url = reverse("placements:cost_add", args=[placement.pk])
    response = client.post(url, {"kind": "uplift", "weekly_amount": "£120", "effective_from": "01/04/2025",
                                 "reason": "Annual fee uplift 3%"})
    assert response.status_code == 302
    small = CostLine.objects.get(kind="uplift")
    assert small.status == CostStatus.IN_FORCE and small.agreed_by == officer
    client.post(url, {"kind": "additional_support", "weekly_amount": "1,500", "effective_from": "01/05/2025",
                      "reason": "Added 1:1 support"})
    big = CostLine.objects.get(kind="additional_support")
    assert big.status == CostStatus.AWAITING_APPROVAL and big.needs_approval
    # the same person cannot approve it
    decide = reverse("placements:cost_decide", args=[big.pk])
    response = client.post(decide, {"decision": "approve"})
    assert "A second person must approve this change" in response.content.decode()
    big.refresh_from_db()
    assert big.status == CostStatus.AWAITING_APPROVAL
    client.force_login(second)
    assert "Added 1:1 support" in client.get(reverse("placements:cost_approvals")).content.decode()
    assert client.post(decide, {"decision": "approve"}).status_code == 302
    big.refresh_from_db()
    assert big.status == CostStatus.IN_FORCE and big.approved_by == second
    html = client.get(reverse("placements:placement", args=[placement.pk])).content.decode()
    assert "£5,620.00" in html  # 4000 + 120 + 1500 in force today


def test_cost_change_form_errors(placements_client):
    placement = PlacementFactory()
    response = placements_client.post(reverse("placements:cost_add", args=[placement.pk]),
                                      {"kind": "uplift", "weekly_amount": "abc", "effective_from": "yesterday"})
    html = response.content.decode()
    assert response.status_code == 200 and "Error: " in html
    assert "Enter change to the weekly cost (£) as an amount" in html
    assert CostLine.objects.count() == 0


def test_ipa_edit_moves_through_statuses(placements_client):
    placement = PlacementFactory(provider_kind="PR4")
    url = reverse("placements:ipa_edit", args=[placement.pk])
    data = {"status": "signed", "core_weekly": "3,800", "core_payer": "social_care", "additional_support_payer":
            "social_care", "education_weekly": "400", "education_payer": "education", "other_payer": "health",
            "outcomes_agreed": "Attend school every day"}
    response = placements_client.post(url, data)
    assert "Enter the date it was signed" in response.content.decode()
    data.update(drafted_on="01/06/2024", issued_on="05/06/2024", signed_on="20/06/2024")
    assert placements_client.post(url, data).status_code == 302
    agreement = PlacementAgreement.objects.get(placement=placement)
    assert agreement.status == "signed" and agreement.total_weekly == Decimal("4200")


def test_panel_review_decision(placements_client):
    review = PanelReviewFactory(due_on=TODAY - timedelta(days=3))
    html = placements_client.get(reverse("placements:panel_reviews")).content.decode()
    assert "Overdue" in html and review.placement.child.reference in html
    url = reverse("placements:panel_review_record", args=[review.pk])
    assert placements_client.post(url, {"held_on": TODAY.strftime("%d/%m/%Y"), "decision": "step_down",
                                        "next_due_on": (TODAY + timedelta(days=90)).strftime("%d/%m/%Y")}
                                  ).status_code == 302
    review.refresh_from_db()
    assert review.decision == "step_down" and PanelReview.objects.filter(held_on__isnull=True).count() == 1
    assert placements_client.get(url).status_code == 404  # already held


def test_upload_903_page(placements_client, django_capture_on_commit_callbacks, monkeypatch):
    monkeypatch.setattr("placements.dfe_check.dfe_check_run", lambda **kwargs: None)  # run in test_dfe_check.py
    url = reverse("placements:import_903")
    bad = SimpleUploadedFile("episodes.csv", EPISODES.replace("OX1 2JD", "nowhere").encode())
    with django_capture_on_commit_callbacks(execute=True):
        response = placements_client.post(url, {"header": SimpleUploadedFile("header.csv", HEADER.encode()),
                                                "episodes": bad})
    html = placements_client.get(response.url).content.decode()
    assert "The return cannot be imported as it is: 1 problem found" in html and "episodes: PL_POST" in html
    assert Placement.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        response = placements_client.post(url, {"header": SimpleUploadedFile("header.csv", HEADER.encode()),
                                                "episodes": SimpleUploadedFile("episodes.csv", EPISODES.encode())})
    token = response.url.split("job=")[1]
    with django_capture_on_commit_callbacks(execute=True):
        response = placements_client.post(url, {"confirm": token})
    assert "Placements: 3 created, 0 updated, 0 removed" in placements_client.get(response.url).content.decode()
    assert Placement.objects.count() == 3


def test_record_a_move_ends_the_current_placement(placements_client, placements_officer):
    from placements.models import Episode, LegalStatus, PlacementProvider, PlacementType, PostcodeDistrict

    PostcodeDistrict.objects.create(code="RG1", latitude=Decimal("51.454"), longitude=Decimal("-0.971"),
                                    local_authority="Reading")
    PostcodeDistrict.objects.create(code="OX1", latitude=Decimal("51.752"), longitude=Decimal("-1.258"),
                                    local_authority="Oxfordshire")
    url = reverse("placements:placement_add")
    base = {"placement_type": PlacementType.objects.get(code="U6").pk,
            "provider_kind": PlacementProvider.objects.get(code="PR1").pk, "route": "in_house",
            "legal_status": LegalStatus.objects.get(code="C1").pk}
    response = placements_client.post(url, {**base, "child_reference": "N1", "start": "01/04/2025"})
    assert "Enter the month of birth: this is a new child reference" in response.content.decode()
    response = placements_client.post(url, {**base, "child_reference": "N1", "start": "01/04/2025", "sex": "2",
                                            "birth_month": "5", "birth_year": "2014", "home_district": "RG1 7AB",
                                            "placement_district": "RG1"})
    assert response.status_code == 302
    first = Placement.objects.get(child__reference="N1")
    assert first.home_district == "RG1" and first.in_area is True and first.distance_miles == Decimal("0.0")
    response = placements_client.post(url, {**base, "child_reference": "N1", "start": "01/09/2025",
                                            "provider_kind": PlacementProvider.objects.get(code="PR4").pk,
                                            "route": "spot", "home_district": "RG1", "placement_district": "OX1"})
    assert response.status_code == 302
    first.refresh_from_db()
    second = Placement.objects.get(child__reference="N1", start=date(2025, 9, 1))
    assert first.end == date(2025, 9, 1) and first.reason_ended.code == "X1"
    assert second.care_period_start == date(2025, 4, 1) and second.reason_new_episode.code == "P"
    assert second.in_area is False and second.distance_miles == Decimal("24.0")
    assert Episode.objects.get(placement=first).end == date(2025, 9, 1)


def test_edit_placement_sets_provider_route_and_distance(placements_client):
    from contracts.tests.factories import FrameworkFactory, ProviderFactory

    placement = PlacementFactory(provider_kind="PR4", route="spot")
    provider, framework = ProviderFactory(), FrameworkFactory()
    url = reverse("placements:placement_edit", args=[placement.pk])
    assert placements_client.get(url).status_code == 200
    response = placements_client.post(url, {
        "placement_type": placement.placement_type_id, "provider_kind": placement.provider_kind_id,
        "provider": provider.pk, "route": "framework", "framework": framework.pk, "recorded_distance_miles": "32",
        "in_area": "no", "end": "", "placement_district": "12AB",
    })
    assert "Enter a postcode district such as RG1" in response.content.decode()
    response = placements_client.post(url, {
        "placement_type": placement.placement_type_id, "provider_kind": placement.provider_kind_id,
        "provider": provider.pk, "route": "framework", "framework": framework.pk, "recorded_distance_miles": "32",
        "in_area": "no", "end": "",
    })
    assert response.status_code == 302
    placement.refresh_from_db()
    assert (placement.provider, placement.framework, placement.route) == (provider, framework, "framework")
    assert placement.distance_miles == Decimal("32") and placement.in_area is False


def test_903_upload_is_held_in_memory_only(placements_client, settings):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 10  # Django would otherwise spill anything bigger to a temporary file
    response = placements_client.post(reverse("placements:import_903"), {
        "header": SimpleUploadedFile("header.csv", HEADER.encode()),
        "episodes": SimpleUploadedFile("episodes.csv", EPISODES.encode()),
    })
    from core.models import HeldUpload

    held = HeldUpload.objects.get(key__startswith="placements-903-files")  # in the database, until checked
    assert response.status_code == 302 and HEADER.encode() in bytes(held.value)


def test_903_upload_checks_csrf(client, placements_officer):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(placements_officer)
    response = strict.post(reverse("placements:import_903"), {
        "header": SimpleUploadedFile("header.csv", HEADER.encode()),
        "episodes": SimpleUploadedFile("episodes.csv", EPISODES.encode()),
    })
    assert response.status_code == 403 and Placement.objects.count() == 0


def test_placement_page_queries_do_not_grow_with_cost_lines(placements_client, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    placement = PlacementFactory(provider_kind="PR4")
    CostLineFactory(placement=placement)
    PanelReviewFactory(placement=placement)
    url = reverse("placements:placement", args=[placement.pk])
    with CaptureQueriesContext(connection) as small:
        placements_client.get(url)
    for _ in range(6):
        CostLineFactory(placement=placement, kind="uplift", weekly_amount=Decimal("10"))
        PanelReviewFactory(placement=placement)
    with django_assert_num_queries(len(small.captured_queries)):
        html = placements_client.get(url).content.decode()
    assert "£1,060.00" in html


def _cost_row(html: str, table_id: str, key: str) -> str:
    table = re.search(rf'<table class="govuk-table" id="{table_id}">(.*?)</table>', html, re.S).group(1)
    return re.search(rf'<tr class="govuk-table__row" data-key="{key}">(.*?)</tr>', table, re.S).group(1)


def _small_group_of_homes():
    """Ten children in agency fostering at £800 a week, two in children's homes at £5,125.50 a week."""
    for i in range(10):
        placement = PlacementFactory(start=TODAY - timedelta(days=50 + i), placement_type="U4", provider_kind="PR4",
                                     route="framework")
        CostLineFactory(placement=placement, weekly_amount=Decimal("800"))
    for i in range(2):
        placement = PlacementFactory(start=TODAY - timedelta(days=50 + i), placement_type="K2", provider_kind="PR4",
                                     route="spot")
        CostLineFactory(placement=placement, weekly_amount=Decimal("5125.50"))


def test_committee_officer_sees_the_cost_of_a_group_of_few_children_but_not_its_count_or_average(committee_client):
    _small_group_of_homes()
    html = committee_client.get(reverse("placements:index")).content.decode()
    # Money is not a count of children: the two homes' £10,251 a week and its year are shown; the count is [c],
    # and so is the average (£10,251 / £5,125.50 would give the 2 back).
    homes = _cost_row(html, "cost-by-type", "childrens_homes")
    assert re.findall(r"<td[^>]*>(.*?)</td>", homes) == ["[c]", "£10,251", "£533,052", "[c]"]
    spot = _cost_row(html, "cost-by-route", "spot")
    assert re.findall(r"<td[^>]*>(.*?)</td>", spot) == ["[c]", "£10,251", "£533,052", "[c]"]
    assert "5,125" not in html
    # The fostering count is hidden as well (total less it gives the homes' 2), and so its average.
    fostering = _cost_row(html, "cost-by-type", "agency_fostering")
    assert re.findall(r"<td[^>]*>(.*?)</td>", fostering) == ["[c]", "£8,000", "£416,000", "[c]"]
    assert 'id="weekly-total">£18,251 (£949,052 a year)' in html


def test_commissioner_sees_the_cost_of_every_group(commissioner_client):
    _small_group_of_homes()
    html = commissioner_client.get(reverse("placements:index")).content.decode()
    homes = _cost_row(html, "cost-by-type", "childrens_homes")
    assert re.findall(r"<td[^>]*>(.*?)</td>", homes) == ["2", "£10,251", "£533,052", "£5,125.50"]
    assert "[c]" not in html


def test_child_page_flags_a_current_external_placement_with_no_ipa_and_no_weekly_cost(placements_client):
    child = ChildFactory()
    PlacementFactory(child=child, start=TODAY - timedelta(days=400), end=TODAY - timedelta(days=200),
                     provider_kind="PR4", route="spot")  # ended: not flagged
    bare = PlacementFactory(child=child, start=TODAY - timedelta(days=199), provider_kind="PR4", route="spot")
    html = placements_client.get(reverse("placements:child", args=[child.pk])).content.decode()
    assert html.count('data-flag="no-ipa-no-cost"') == 1
    assert "This current placement has no IPA and no weekly cost recorded" in html
    assert reverse("placements:ipa_edit", args=[bare.pk]) in html
    CostLineFactory(placement=bare)
    html = placements_client.get(reverse("placements:child", args=[child.pk])).content.decode()
    assert 'data-flag="no-ipa-no-cost"' not in html


def test_ipa_queue_filters_by_status_provider_and_waiting_and_names_placement_types(placements_client):
    from contracts.tests.factories import ProviderFactory

    harbour = ProviderFactory(name="Harbour Care")
    AgreementFactory(placement__start=TODAY - timedelta(days=10), placement__provider=harbour,
                     placement__placement_type="K2")
    AgreementFactory(placement__start=TODAY - timedelta(days=50), status="issued",
                     issued_on=TODAY - timedelta(days=12))
    AgreementFactory(placement__start=TODAY - timedelta(days=120), status="drafted")
    url = reverse("placements:ipa_queue")

    def rows(query=""):
        html = placements_client.get(url + query).content.decode()
        return re.findall(r'data-days="(\d+)"', html), html

    days, html = rows()
    assert days == ["120", "50", "10"]
    assert "Children&#x27;s homes subject to Children&#x27;s Homes Regulations" in html  # not the bare code
    assert f"{TODAY - timedelta(days=12):%-d %b %Y}" in html and "Not issued" in html
    assert rows("?status=issued")[0] == ["50"]
    assert rows(f"?provider={harbour.pk}")[0] == ["10"]
    assert rows("?waiting=28_to_84")[0] == ["50"]
    assert rows("?waiting=over_84")[0] == ["120"]
    days, html = rows("?status=nonsense")
    assert "Select a valid choice" in html and "govuk-error-summary" in html


def test_a_viewer_sees_the_totals_with_small_counts_suppressed_but_no_child_level_page(viewer_client):
    import time_machine

    with time_machine.travel(date(2026, 10, 1), tick=False):
        day = date(2026, 10, 1)
        for i in range(9):  # seven children in foster care, two in a children's home
            placement = PlacementFactory(start=day - timedelta(days=100 + i), placement_type="K2" if i < 2 else "U4",
                                         provider_kind="PR4", route="spot", distance_miles=Decimal(30 + i))
            CostLineFactory(placement=placement, weekly_amount=Decimal("1000"))
        response = viewer_client.get(reverse("placements:index"))
        assert response.status_code == 200
        html = response.content.decode()
        assert 'id="looked-after">9</dd>' in html  # a total of 6 or more is shown
        assert 'id="over-20">9 (100.0% of 9 with a distance known)' in html
        by_type = html[html.index('id="by-type"'):]
        by_type = by_type[:by_type.index("</table>")]
        assert "[c]" in by_type  # the two children in a children's home (and the partner count that would give them)
        assert '<td class="govuk-table__cell govuk-table__cell--numeric">9</td>' in by_type  # the line's total
        assert "Counts of 1 to 5 children are shown as [c]" in html
        assert reverse("placements:list") not in html  # no way on to child-level pages
        placement = Placement.objects.first()
        assert viewer_client.get(reverse("placements:list")).status_code == 403
        assert viewer_client.get(reverse("placements:child", args=[placement.child_id])).status_code == 403
        assert viewer_client.get(reverse("placements:placement", args=[placement.pk])).status_code == 403
        assert ChildPageView.objects.count() == 0
