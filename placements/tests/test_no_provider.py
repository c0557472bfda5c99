"""DfE's other placements (PLACE Z1 to 2024-25, Z11-Z14 after: unregistered settings, deprivation of liberty)
have no provider: DfE's rule 178 says their PLACE_PROVIDER is blank. A return with one imports, the placement
has no provider kind, and the figures, pages and forms say so and still add up."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from placements import rules, selectors
from placements.importers import import_903
from placements.models import NO_PROVIDER_LABEL, LegalStatus, Placement, PlacementProvider, PlacementType
from placements.presenters import sufficiency_display
from placements.reports import section_context
from placements.tests.factories import CostLineFactory, PlacementFactory
from placements.tests.test_import_903 import HEADER, tables

# Child 100001 moves from in-house fostering to an other placement (Z1) with PLACE_PROVIDER blank.
EPISODES = """CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN
100001,01/04/2022,S,V2,N1,U6,PR1,01/06/2022,X1,,RG1 7AB,RG30 4XY,
100001,01/06/2022,L,C2,N1,U6,PR1,15/09/2024,X1,,RG1 7AB,RG30 4XY,
100001,15/09/2024,P,C2,N1,Z1,,,,STAND,RG1 7AB,OX1 2JD,
100002,10/10/2024,S,C1,N1,U4,PR4,,,,RG2 0AA,RG2 9QQ,
"""
AS_OF = date(2025, 3, 31)


@pytest.fixture
def imported(placements_officer):
    summary = import_903(*tables(HEADER, EPISODES), user=placements_officer)
    assert summary.created == 3
    return Placement.objects.select_related("child").get(child__reference="100001", placement_type__code="Z1")


def _table_rows(html: str, table_id: str) -> dict[str, str]:
    table = html[html.index(f'id="{table_id}"'):]
    table = table[:table.index("</table>")]
    return dict(re.findall(r'<th scope="row" class="govuk-table__header">([^<]*)</th>'
                           r'<td class="govuk-table__cell govuk-table__cell--numeric">([^<]*)</td>', table))


def test_a_return_with_an_other_placement_and_no_provider_imports(imported):
    assert imported.provider_kind is None
    assert imported.route == "spot"  # bought one at a time: see importers._route_for
    assert imported.is_external and imported.provider_kind_label == NO_PROVIDER_LABEL


def test_looked_after_and_by_provider_count_the_child_once_and_add_up(imported, placements_client):
    assert selectors.looked_after_count(AS_OF) == 2
    assert selectors.by_provider(AS_OF) == {"PR4": 1, selectors.NO_PROVIDER: 1}
    assert selectors.by_provider_kind(AS_OF) == {"private": 1, selectors.NO_PROVIDER: 1}
    assert selectors.placement_metrics(year_ending=AS_OF)["by_provider"] == {"PR4": 1, "no_provider": 1}
    figures = selectors.sufficiency(as_of=AS_OF)
    kinds = {r["label"]: r["count"] for r in figures.provider_kinds}
    assert kinds[NO_PROVIDER_LABEL] == 1 and kinds["Private"] == 1
    assert sum(kinds.values()) == figures.looked_after == 2
    assert {g["key"]: g["count"] for g in figures.groups if g["count"]} == {"other": 1, "agency_fostering": 1}
    show = sufficiency_display(figures, suppress=False)
    assert show["kinds"]["total"].value == 2
    # The dashboard's "By provider" table, as the placements officer (who sees small numbers) sees it
    html = placements_client.get(reverse("placements:index"), {"as_of": "31/03/2025"}).content.decode()
    rows = _table_rows(html, "by-provider")
    assert rows[NO_PROVIDER_LABEL] == "1" and rows["Private"] == "1" and rows["Total"] == "2"
    assert sum(int(v) for k, v in rows.items() if k != "Total") == 2


def test_with_no_other_placement_the_provider_table_has_no_row_for_one(placements_officer):
    PlacementFactory(start=date(2025, 2, 1), provider_kind="PR4")
    labels = [r["label"] for r in selectors.sufficiency(as_of=AS_OF).provider_kinds]
    assert NO_PROVIDER_LABEL not in labels and len(labels) == 6


def test_the_committee_section_by_provider_table_adds_up_to_the_children_looked_after(db):
    for _ in range(6):
        PlacementFactory(start=date(2025, 2, 1), placement_type="Z1", provider_kind=None, route="spot")
    for _ in range(7):
        PlacementFactory(start=date(2023, 2, 1), placement_type="U6", provider_kind="PR1")
    context = section_context(period_start=date(2025, 1, 1), period_end=AS_OF, as_of=AS_OF)
    html = render_to_string("placements/pdf/section.html", {**context, "section": {"number": 5}})
    assert "On 31 March 2025, 13 children were looked after" in html
    table = html[html.index("<caption>Children looked after by who provides the placement</caption>"):]
    table = table[:table.index("</table>")]
    rows = dict(re.findall(r'<tr><td>([^<]*)</td><td class="num">([^<]*)</td>', table))
    assert rows[NO_PROVIDER_LABEL] == "6" and rows["Own council"] == "7"
    assert re.search(r'<th scope="row">Total</th><td class="num">13</td>', table)
    # the other placements are bought (spot, no provider named): they are in the framework-versus-spot figure
    assert "Of 6 placements bought from outside the council" in html


def test_the_childs_page_and_the_placement_page_say_there_is_no_provider(imported, placements_client):
    html = placements_client.get(reverse("placements:child", args=[imported.child_id])).content.decode()
    assert f"{NO_PROVIDER_LABEL}; Spot purchase;" in html
    assert "Z1 Other placements (listed on the schedule sent to DfE)" in html
    html = placements_client.get(reverse("placements:placement", args=[imported.pk])).content.decode()
    assert f'id="provider-kind">{NO_PROVIDER_LABEL}</dd>' in html
    assert "No IPA recorded: this external placement needs one." in html
    html = placements_client.get(reverse("placements:list"), {"child": "100001"}).content.decode()
    assert NO_PROVIDER_LABEL in html
    html = placements_client.get(reverse("placements:list"), {"provider_kind": "null"}).content.decode()
    assert html.count(reverse("placements:placement", args=[imported.pk])) == 1
    assert "100002" not in html


def test_an_other_placement_with_no_ipa_is_in_the_ipa_queue_unless_in_house(imported, placements_client):
    html = placements_client.get(reverse("placements:ipa_queue"), {"as_of": "31/03/2025"}).content.decode()
    assert NO_PROVIDER_LABEL in html
    assert selectors.ipa_figures(as_of=AS_OF)["unsigned"] == 2  # the Z1 and the private U4
    Placement.objects.filter(pk=imported.pk).update(route="in_house")
    assert selectors.ipa_figures(as_of=AS_OF)["unsigned"] == 1


def test_the_child_page_flags_an_other_placement_with_no_ipa_and_no_cost(imported, placements_client):
    url = reverse("placements:child", args=[imported.child_id])
    assert placements_client.get(url).content.decode().count('data-flag="no-ipa-no-cost"') == 1
    CostLineFactory(placement=imported, weekly_amount=Decimal("6000"))
    assert 'data-flag="no-ipa-no-cost"' not in placements_client.get(url).content.decode()


@pytest.mark.parametrize(("kind", "route", "external"), [
    ("PR4", "spot", True), ("PR2", "in_house", True), ("PR1", "spot", False), ("PR0", "in_house", False),
    (None, "spot", True), (None, "framework", True), (None, "in_house", False),
])
def test_external_in_sql_is_the_pure_rule(db, kind, route, external):
    placement = PlacementFactory(placement_type="Z11" if kind is None else "K2", provider_kind=kind, route=route)
    assert rules.is_external(provider_kind=placement.provider_kind.kind if kind else None, route=route) is external
    assert Placement.objects.filter(selectors.external_q(), pk=placement.pk).exists() is external
    assert placement.is_external is external


def test_recording_a_placement_by_hand_needs_a_provider_kind_unless_it_is_an_other_placement(placements_client):
    url = reverse("placements:placement_add")
    base = {"child_reference": "N1", "start": "01/06/2025", "sex": "2", "birth_month": "5", "birth_year": "2012",
            "legal_status": LegalStatus.objects.get(code="C2").pk, "route": "spot", "provider_kind": ""}
    response = placements_client.post(url, {**base, "placement_type": PlacementType.objects.get(code="K2").pk})
    assert response.status_code == 200
    assert "Select the provider kind (903 PLACE_PROVIDER)" in response.content.decode()
    assert not Placement.objects.exists()
    response = placements_client.post(url, {**base, "placement_type": PlacementType.objects.get(code="Z11").pk})
    assert response.status_code == 302
    placement = Placement.objects.get(child__reference="N1")
    assert placement.provider_kind is None and placement.placement_type.code == "Z11"
    # editing it to a PLACE code that has a provider needs the kind again
    edit = reverse("placements:placement_edit", args=[placement.pk])
    response = placements_client.post(edit, {"placement_type": PlacementType.objects.get(code="K2").pk,
                                             "provider_kind": "", "route": "spot", "end": ""})
    assert "Select the provider kind (903 PLACE_PROVIDER)" in response.content.decode()
    response = placements_client.post(edit, {"placement_type": PlacementType.objects.get(code="K2").pk,
                                             "provider_kind": PlacementProvider.objects.get(code="PR4").pk,
                                             "route": "spot", "end": ""})
    assert response.status_code == 302
    placement.refresh_from_db()
    assert placement.provider_kind.code == "PR4"


def test_the_model_refuses_no_provider_kind_for_a_place_code_that_has_one(db):
    from django.core.exceptions import ValidationError

    placement = PlacementFactory(placement_type="Z12", provider_kind=None)
    placement.full_clean()
    placement.placement_type = PlacementType.objects.get(code="U6")
    with pytest.raises(ValidationError) as refused:
        placement.full_clean()
    assert list(refused.value.message_dict) == ["provider_kind"]
