"""Create and edit pages for the procurement pipeline and frameworks, and framework memberships:
what the commissioner sees (saved values, messages), and the services underneath."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from contracts import services
from contracts.models import Framework, FrameworkMembership, ProcurementPlanItem, ServiceArea
from contracts.tests.factories import (
    ContractFactory,
    FrameworkFactory,
    MembershipFactory,
    PlanItemFactory,
    ProviderFactory,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _errors(response) -> str:
    """The error summary's text, so a test checks the message a user reads there."""
    html = response.content.decode()
    assert response.status_code == 200 and "<title>Error:" in html
    start = html.index("govuk-error-summary")
    return html[start: html.index("</div>", html.index("govuk-error-summary__body", start))]


# --- procurement pipeline -------------------------------------------------------------------

def _plan_data(**overrides):
    data = {
        "title": "Edge of care family support", "service_area": "early_help", "description": "Intensive support",
        "estimated_value": "1800000", "procurement_route": "open",
        "planned_start": "2027-01-04", "planned_award": "01/06/2027", "planned_contract_start": "2027-09-01",
        "key_decision_state": "awaiting", "approving_body": "Cabinet", "approved_on": "", "status": "planned",
        "lead_officer": "", "replaces": "", "contract": "",
    }
    data.update(overrides)
    return data


def test_add_planned_procurement_shows_it_in_its_quarter(commissioner_client, commissioner):
    page = commissioner_client.get(reverse("contracts:pipeline")).content.decode()
    assert reverse("contracts:plan_create") in page
    response = commissioner_client.post(reverse("contracts:plan_create"), _plan_data(), follow=True)
    html = response.content.decode()
    item = ProcurementPlanItem.objects.get()
    assert item.key_decision and item.approved_on is None and item.planned_award == date(2027, 6, 1)
    assert item.history.first().history_user == commissioner
    assert "Procurement added to the pipeline: Edge of care family support" in html
    assert "2027/28 Q1 (April to June 2027)" in html and "£1,800,000" in html and "Awaiting approval" in html


def test_edit_planned_procurement_records_the_approval(commissioner_client, commissioner):
    item = PlanItemFactory(title="Fostering recommission", key_decision=True, approving_body="")
    form = commissioner_client.get(reverse("contracts:plan_edit", args=[item.pk])).context["form"]
    assert form.initial["key_decision_state"] == "awaiting"
    approved = (TODAY - timedelta(days=3))
    response = commissioner_client.post(reverse("contracts:plan_edit", args=[item.pk]), _plan_data(
        title="Fostering recommission", key_decision_state="approved", approving_body="Finance Sub-Committee",
        approved_on=approved.strftime("%d/%m/%Y"), planned_start=(TODAY - timedelta(days=30)).isoformat(),
        planned_award=(TODAY + timedelta(days=30)).isoformat(), planned_contract_start=""), follow=True)
    html = response.content.decode()
    assert "Procurement updated: Fostering recommission" in html
    item.refresh_from_db()
    assert item.approved_on == approved and item.approving_body == "Finance Sub-Committee"
    assert approved.strftime("%-d %b %Y") in html  # shown in the key decisions table
    assert item.history.first().history_user == commissioner
    form = commissioner_client.get(reverse("contracts:plan_edit", args=[item.pk])).context["form"]
    assert form.initial["key_decision_state"] == "approved"


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"title": ""}, "title", "Enter the title of the procurement"),
        ({"estimated_value": "-1"}, "estimated_value", "The estimated value must be £0 or more"),
        ({"estimated_value": "lots"}, "estimated_value", "Enter the estimated value as a number"),
        ({"planned_award": "2026-12-01"}, "planned_award",
         "The contract award date must be the same as or after the procurement starts"),
        ({"planned_contract_start": "2027-05-01"}, "planned_contract_start",
         "The contract start date must be the same as or after the award date"),
        ({"planned_start": "31/02/2027"}, "planned_start", "The date the procurement starts must be a real date"),
        ({"key_decision_state": "approved"}, "approved_on", "Enter the date the key decision was approved"),
        ({"key_decision_state": "awaiting", "approved_on": "2026-01-05"}, "approved_on",
         "Remove the approval date, or choose"),
        ({"key_decision_state": "approved", "approved_on": (TODAY + timedelta(days=1)).isoformat()}, "approved_on",
         "The approval date must be today or in the past"),
        ({"key_decision_state": "approved", "approved_on": "2026-01-05", "approving_body": ""}, "approving_body",
         "Enter the body that gave the approval"),
        ({"key_decision_state": "", }, "key_decision_state", "Select whether this is a key decision"),
        ({"status": "awarded"}, "approved_on", "a key decision must be approved before award"),
    ],
)
def test_planned_procurement_errors(commissioner_client, overrides, field, message):
    response = commissioner_client.post(reverse("contracts:plan_create"), _plan_data(**overrides))
    assert message in _errors(response)
    assert message in " ".join(response.context["form"].errors[field])
    assert not ProcurementPlanItem.objects.exists()


def test_only_an_awarded_procurement_names_its_contract(commissioner_client):
    contract = ContractFactory(reference="NEW-CON")
    response = commissioner_client.post(reverse("contracts:plan_create"),
                                        _plan_data(contract=contract.pk, key_decision_state="no"))
    assert "Only an awarded procurement has a contract" in _errors(response)
    response = commissioner_client.post(reverse("contracts:plan_create"),
                                        _plan_data(contract=contract.pk, key_decision_state="no", status="awarded"),
                                        follow=True)
    assert "Became <a" in response.content.decode() and "NEW-CON" in response.content.decode()


def test_plan_item_service_refuses_unknown_fields_and_checks_rules(commissioner):
    with pytest.raises(TypeError):
        services.plan_item_create(user=commissioner, pk=5)
    with pytest.raises(ValidationError) as exc:
        services.plan_item_create(user=commissioner, title="X", service_area=ServiceArea.objects.get(code="other"),
                                  estimated_value=Decimal("1"),
                                  planned_start=date(2027, 1, 1), planned_award=date(2026, 1, 1))
    assert "planned_award" in exc.value.message_dict


def test_viewer_sees_no_edit_links_and_cannot_post(viewer_client):
    PlanItemFactory(title="Advocacy")
    html = viewer_client.get(reverse("contracts:pipeline")).content.decode()
    assert reverse("contracts:plan_create") not in html and "/edit/" not in html
    assert viewer_client.post(reverse("contracts:plan_create"), _plan_data()).status_code == 403
    assert not ProcurementPlanItem.objects.filter(title="Edge of care family support").exists()


def test_edit_unknown_plan_item_is_404(commissioner_client):
    assert commissioner_client.get(reverse("contracts:plan_edit", args=[999999])).status_code == 404


# --- frameworks -----------------------------------------------------------------------------

def _framework_data(**overrides):
    data = {
        "name": "Regional residential framework", "kind": "framework", "service_area": "residential",
        "lead_authority": "Eastvale County Council", "member_councils": "Eastvale County Council\n\n  Example Borough ",
        "start_date": "2025-04-01", "end_date": "31/03/2029", "extension_options": "12 + 12",
        "extensions_used": "1", "lots_or_tiers": "Lot 1 homes", "description": "",
    }
    data.update(overrides)
    return data


def test_add_framework_and_see_its_page(commissioner_client, commissioner):
    listing = commissioner_client.get(reverse("contracts:frameworks")).content.decode()
    assert reverse("contracts:framework_create") in listing
    response = commissioner_client.post(reverse("contracts:framework_create"), _framework_data(), follow=True)
    html = response.content.decode()
    framework = Framework.objects.get()
    assert framework.member_councils == "Eastvale County Council\nExample Borough"
    assert framework.extension_options == "12+12" and framework.current_end == date(2030, 3, 31)
    assert framework.history.first().history_user == commissioner
    assert "Framework added: Regional residential framework" in html
    assert "<h1 class=\"govuk-heading-l\">Regional residential framework</h1>" in html
    assert "Eastvale County Council, Example Borough" in html and "current end 31 March 2030" in html


def test_edit_framework(commissioner_client):
    framework = FrameworkFactory(name="Old name")
    response = commissioner_client.post(reverse("contracts:framework_edit", args=[framework.pk]),
                                        _framework_data(name="New name", extensions_used="2"), follow=True)
    assert "Framework updated: New name" in response.content.decode()
    framework.refresh_from_db()
    assert framework.name == "New name" and framework.current_end == date(2031, 3, 31)


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"name": ""}, "name", "Enter the name of the framework"),
        ({"name": "Taken"}, "name", "A framework with this name already exists"),
        ({"lead_authority": ""}, "lead_authority", "Enter the lead authority"),
        ({"end_date": "2025-01-01"}, "end_date", "The end date must be the same as or after the start date"),
        ({"extension_options": "12 and 12"}, "extension_options", "Extension options must be months separated by +"),
        ({"extensions_used": "3"}, "extensions_used", "Extensions used must be 2 or fewer"),
        ({"extensions_used": "-1"}, "extensions_used", "Extensions used must be 0 or more"),
        ({"start_date": "soon"}, "start_date", "The start date must be a real date"),
    ],
)
def test_framework_errors(commissioner_client, overrides, field, message):
    FrameworkFactory(name="Taken")
    response = commissioner_client.post(reverse("contracts:framework_create"), _framework_data(**overrides))
    assert message in _errors(response)
    assert message in " ".join(response.context["form"].errors[field])
    assert Framework.objects.count() == 1


# --- memberships ----------------------------------------------------------------------------

def _member_data(who, **overrides):
    data = {"provider": who.pk, "lot": "", "tier": "2", "agreed_weekly_price": "1025.50",
            "price_notes": "Ages 11 to 17", "joined_on": "2024-05-01"}
    data.update(overrides)
    return data


def test_add_a_provider_to_a_framework(commissioner_client, commissioner):
    framework = FrameworkFactory(name="IFA framework")
    provider = ProviderFactory(name="Harbour Fostering")
    page = commissioner_client.get(framework.get_absolute_url()).content.decode()
    assert reverse("contracts:framework_add_member", args=[framework.pk]) in page
    response = commissioner_client.post(reverse("contracts:framework_add_member", args=[framework.pk]),
                                        _member_data(provider), follow=True)
    html = response.content.decode()
    membership = FrameworkMembership.objects.get()
    assert (membership.tier, membership.agreed_weekly_price) == (2, Decimal("1025.50"))
    assert membership.history.first().history_user == commissioner
    assert "Harbour Fostering added to IFA framework" in html
    assert "Providers (1)" in html and "£1,025.50 (Ages 11 to 17)" in html


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"provider": ""}, "provider", "Select the provider"),
        ({"tier": "0"}, "tier", "The tier must be 1 or more"),
        ({"tier": "-2"}, "tier", "The tier must be 1 or more"),
        ({"agreed_weekly_price": "-10"}, "agreed_weekly_price", "The agreed weekly price must be £0 or more"),
        ({"agreed_weekly_price": "a lot"}, "agreed_weekly_price", "Enter the agreed weekly price as a number"),
        ({"joined_on": "2024-01-01"}, "joined_on", "The date joined must be on or after the framework starts"),
        ({"lot": "Lot 1"}, "provider", "is already on this framework in Lot 1"),
    ],
)
def test_membership_errors(commissioner_client, overrides, field, message):
    framework = FrameworkFactory()
    provider = ProviderFactory()
    MembershipFactory(framework=framework, provider=provider, lot="Lot 1")
    response = commissioner_client.post(reverse("contracts:framework_add_member", args=[framework.pk]),
                                        _member_data(provider, **overrides))
    assert message in _errors(response)
    assert message in " ".join(response.context["form"].errors[field])
    assert FrameworkMembership.objects.count() == 1


def test_the_same_provider_may_be_in_two_lots(commissioner_client):
    framework = FrameworkFactory()
    provider = ProviderFactory()
    MembershipFactory(framework=framework, provider=provider, lot="Lot 1")
    response = commissioner_client.post(reverse("contracts:framework_add_member", args=[framework.pk]),
                                        _member_data(provider, lot="Lot 2"))
    assert response.status_code == 302
    assert FrameworkMembership.objects.filter(framework=framework, provider=provider).count() == 2


def test_ceased_provider_cannot_join(commissioner):
    framework = FrameworkFactory()
    provider = ProviderFactory(name="Gone Ltd", status="ceased")
    with pytest.raises(ValidationError) as exc:
        services.framework_add_member(framework=framework, user=commissioner, provider=provider)
    assert exc.value.message_dict["provider"] == ["Gone Ltd has ceased trading and cannot join a framework"]


def test_remove_a_provider_after_confirming(commissioner_client, commissioner):
    framework = FrameworkFactory(name="IFA framework")
    membership = MembershipFactory(framework=framework, provider=ProviderFactory(name="Harbour Fostering"))
    url = reverse("contracts:framework_remove_member", args=[framework.pk, membership.pk])
    assert url in commissioner_client.get(framework.get_absolute_url()).content.decode()
    confirm = commissioner_client.get(url).content.decode()
    assert "Remove Harbour Fostering from this framework?" in confirm
    assert FrameworkMembership.objects.count() == 1  # GET changes nothing
    html = commissioner_client.post(url, follow=True).content.decode()
    assert "Harbour Fostering removed from IFA framework" in html and "No providers recorded." in html
    assert not FrameworkMembership.objects.exists()
    deleted = FrameworkMembership.history.filter(id=membership.pk, history_type="-").get()
    assert deleted.history_user == commissioner


def test_membership_of_another_framework_is_404(commissioner_client):
    framework, other = FrameworkFactory(), FrameworkFactory()
    membership = MembershipFactory(framework=other)
    url = reverse("contracts:framework_remove_member", args=[framework.pk, membership.pk])
    assert commissioner_client.get(url).status_code == 404
    assert commissioner_client.post(url).status_code == 404
    assert FrameworkMembership.objects.count() == 1


def test_viewer_cannot_change_frameworks(viewer_client):
    framework = FrameworkFactory()
    membership = MembershipFactory(framework=framework)
    html = viewer_client.get(framework.get_absolute_url()).content.decode()
    assert "Edit framework" not in html and "Remove" not in html and "Add a provider" not in html
    url = reverse("contracts:framework_remove_member", args=[framework.pk, membership.pk])
    assert viewer_client.post(url).status_code == 403
    assert FrameworkMembership.objects.count() == 1


def test_money_is_typed_as_people_write_it(commissioner_client):
    framework = FrameworkFactory()
    response = commissioner_client.post(reverse("contracts:framework_add_member", args=[framework.pk]),
                                        _member_data(ProviderFactory(), agreed_weekly_price="£1,025.50"))
    assert response.status_code == 302
    assert FrameworkMembership.objects.get().agreed_weekly_price == Decimal("1025.50")
    form_html = commissioner_client.get(reverse("contracts:plan_create")).content.decode()
    assert 'type="number"' not in form_html and 'inputmode="decimal"' in form_html
    response = commissioner_client.post(reverse("contracts:plan_create"), _plan_data(estimated_value="12.345"))
    assert "Enter the amount to the nearest penny, like 950.50" in _errors(response)


def test_pipeline_flags_an_award_date_that_has_passed(viewer_client):
    started, yesterday = TODAY - timedelta(days=200), TODAY - timedelta(days=1)
    late = PlanItemFactory(title="Late one", planned_start=started, planned_award=yesterday, status="in_progress")
    PlanItemFactory(title="Done one", planned_start=started, planned_award=yesterday, status="awarded",
                    approved_on=TODAY - timedelta(days=30))
    PlanItemFactory(title="Future one")
    html = viewer_client.get(reverse("contracts:pipeline")).content.decode()
    assert html.count("Award date passed") == 1
    start = html.index(f'id="plan-{late.pk}"')
    assert "Award date passed" in html[start:html.index("</tr>", start)]


def test_plan_edit_form_shows_the_saved_answers_and_history_link(commissioner_client):
    old = ContractFactory(reference="OLD-9")
    item = PlanItemFactory(title="Recommission", replaces=old, approved_on=date(2026, 10, 1),
                           planned_start=date(2026, 6, 1), planned_award=date(2026, 11, 2))
    response = commissioner_client.get(reverse("contracts:plan_edit", args=[item.pk]))
    html = response.content.decode()
    assert f'<option value="{old.pk}" selected>OLD-9: ' in html
    assert 'id="id_approved_on_day" name="approved_on_day" type="text" inputmode="numeric" value="1"' in html
    assert 'id="id_approved_on_month" name="approved_on_month" type="text" inputmode="numeric" value="10"' in html
    assert response.context["form"]["key_decision_state"].value() == "approved"
    assert html.count(" checked") == 1
    assert reverse("record_history", args=["contracts", "procurementplanitem", item.pk]) in html
