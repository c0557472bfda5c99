"""What people see on the project pages, the gateway form and the risk register."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.roles import COMMISSIONER
from programme.models import Project

from .factories import EngagementFactory, ProductFactory, ProjectFactory, RiskFactory, gateway_approver
from .pages import TEST_DAY, page_text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_test_day")]
TODAY = TEST_DAY


def test_project_page_says_where_it_is_what_is_due_and_what_is_missing(viewer_client, commissioner):
    project = ProjectFactory(stage="Plan", lead=commissioner, next_gateway_due=datetime.date(2026, 6, 1),
                             title="Recommission short breaks")
    ProductFactory(project=project, kind="options_appraisal")
    RiskFactory(project=project, likelihood=5, impact=4)
    EngagementFactory(project=project, group="children", we_did="Sessions moved to Saturdays.")
    html = page_text(viewer_client.get(project.get_absolute_url()))
    assert "Recommission short breaks" in html
    assert "(current stage)" in html
    assert ("The gateway to Do, due 1 June 2026 <strong class=\"govuk-tag govuk-tag--red\">Overdue</strong>. "
            "Still to be approved: equality impact assessment, business case.") in html
    assert "1 open risk: 1 red, 0 amber, 0 green." in html
    assert "Children and young people: 1 engagement, 1 leading to a change" in html
    assert "Record a gateway decision" not in html and "Edit project" not in html


def test_gateway_refused_while_products_are_missing_shows_why(client, make_user):
    lead, approver = make_user(COMMISSIONER, "lead"), gateway_approver(make_user(COMMISSIONER, "head"))
    project = ProjectFactory(stage="Analyse", lead=lead)
    client.force_login(approver)
    url = reverse("programme:gateway", args=[project.pk])
    data = {"decision": "proceed", "decided_on": "9/6/2026",
            "reasons": "Ready."}
    response = client.post(url, data)
    html = page_text(response)
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "The gateway cannot be passed until these are approved: needs analysis." in html
    ProductFactory(project=project, kind="needs_analysis")
    response = client.post(url, data, follow=True)
    assert "Gateway passed: the project moves to Plan." in page_text(response)
    assert Project.objects.get(pk=project.pk).stage == "Plan"


def test_the_lead_is_not_offered_the_gateway_and_is_refused_it(client, make_user):
    lead = gateway_approver(make_user(COMMISSIONER, "lead"))  # even a gateway approver, when it is their project
    project = ProjectFactory(lead=lead)
    ProductFactory(project=project, kind="needs_analysis")
    client.force_login(lead)
    assert "Record a gateway decision" not in page_text(client.get(project.get_absolute_url()))
    response = client.post(reverse("programme:gateway", args=[project.pk]),
                           {"decision": "proceed", "decided_on": "9/6/2026",
                            "reasons": "Mine."})
    assert "The project&#x27;s lead cannot decide its gateway: a second person must." in response.content.decode()


def test_commissioners_edit_only_the_projects_they_lead(client, make_user):
    mine, other = make_user(COMMISSIONER, "mine"), make_user(COMMISSIONER, "other")
    project = ProjectFactory(lead=mine)
    client.force_login(other)
    assert client.get(reverse("programme:project_edit", args=[project.pk])).status_code == 403
    client.force_login(mine)
    assert client.get(reverse("programme:project_edit", args=[project.pk])).status_code == 200


def test_create_form_lists_every_problem_in_the_error_summary(commissioner_client):
    ProjectFactory(reference="CP-1")
    response = commissioner_client.post(reverse("programme:project_create"),
                                        {"reference": "CP-1", "stage": "Plan", "savings_target": "0",
                                         "savings_delivered": "0", "next_gateway_due_day": "31",
                                         "next_gateway_due_month": "2", "next_gateway_due_year": "2027"})
    html = page_text(response)
    assert "There is a problem" in html
    assert "Project with this Reference already exists." in html
    assert "Enter the title" in html and "Select the service area" in html
    assert "The date the next gateway is due must be a real date" in html
    assert Project.objects.count() == 1


def test_create_saves_the_project_and_its_history(commissioner_client, commissioner):
    response = commissioner_client.post(reverse("programme:project_create"), {
        "reference": "CP-9", "title": "Joint commissioning of emotional wellbeing", "service_area": "health",
        "lead": commissioner.pk, "stage": "Analyse", "savings_target": "50000", "savings_delivered": "0",
    }, follow=True)
    assert "Project CP-9 added." in page_text(response)
    project = Project.objects.get(reference="CP-9")
    assert project.history.first().history_user == commissioner


def test_project_list_shows_overdue_and_runs_the_same_queries_at_any_size(viewer_client):
    ProjectFactory(reference="CP-1", next_gateway_due=datetime.date(2026, 6, 1))
    url = reverse("programme:projects")
    with CaptureQueriesContext(connection) as small:
        html = page_text(viewer_client.get(url))
    assert "Overdue" in html and "Needs analysis" in html
    for _ in range(6):
        RiskFactory(project=ProjectFactory())
    with CaptureQueriesContext(connection) as big:
        viewer_client.get(url)
    assert len(big.captured_queries) == len(small.captured_queries)
    assert "CP-1" in page_text(viewer_client.get(url + "?overdue=on"))
    assert "CP-2" not in page_text(viewer_client.get(url + "?overdue=on"))


def test_risk_register_filters_overdue_reviews_and_counts_them_on_the_home_page(commissioner_client, commissioner):
    RiskFactory(description="Providers leave the framework", review_on=datetime.date(2026, 5, 1), owner=commissioner)
    RiskFactory(description="Budget cut in year", review_on=datetime.date(2026, 7, 1))
    html = page_text(commissioner_client.get(reverse("programme:risks") + "?overdue=on"))
    assert "Providers leave the framework" in html and "Budget cut in year" not in html
    home = page_text(commissioner_client.get(reverse("home")))
    assert "Risk reviews overdue" in home


def test_rescoring_a_risk_adds_to_its_history(commissioner_client):
    risk = RiskFactory(likelihood=4, impact=4)
    response = commissioner_client.post(reverse("programme:risk_edit", args=[risk.pk]), {
        "description": risk.description, "likelihood": "2", "impact": "4", "status": "open",
    }, follow=True)
    html = page_text(response)
    assert "Risk saved, scored 8 (amber)." in html
    assert "Score history" in html


def test_a_contract_page_names_the_projects_changing_it(viewer_client):
    from contracts.tests.factories import ContractFactory

    contract = ContractFactory()
    project = ProjectFactory(reference="CP-7", stage="Do")
    project.contracts.add(contract)
    RiskFactory(project=None, contract=contract)
    html = page_text(viewer_client.get(reverse("contracts:detail", args=[contract.pk])))
    assert '1</span> commissioning project will change this contract:' in html and "CP-7</a> (Do)" in html
    assert "1 open risk on it in the" in html


def test_editing_a_project_cannot_move_its_stage(client, make_user):
    lead = make_user(COMMISSIONER, "lead")
    project = ProjectFactory(lead=lead, stage="Analyse")
    client.force_login(lead)
    client.post(reverse("programme:project_edit", args=[project.pk]), {
        "reference": project.reference, "title": "Renamed", "service_area": "leaving_care", "stage": "Review",
        "savings_target": "0", "savings_delivered": "0"}, follow=True)
    project.refresh_from_db()
    assert (project.title, project.stage) == ("Renamed", "Analyse")


def test_a_plain_commissioner_cannot_decide_a_gateway_and_the_head_of_commissioning_can(client, make_user):
    lead = make_user(COMMISSIONER, "lead")
    commissioner, head = make_user(COMMISSIONER, "colleague"), gateway_approver(make_user(COMMISSIONER, "head"))
    project = ProjectFactory(stage="Analyse", lead=lead)
    ProductFactory(project=project, kind="needs_analysis")
    url = reverse("programme:gateway", args=[project.pk])
    data = {"decision": "proceed", "decided_on": "9/6/2026", "reasons": "Ready."}

    client.force_login(commissioner)
    assert "Record a gateway decision" not in page_text(client.get(project.get_absolute_url()))
    assert client.post(url, data).status_code == 403
    assert Project.objects.get(pk=project.pk).stage == "Analyse"

    client.force_login(head)
    assert "Record a gateway decision" in page_text(client.get(project.get_absolute_url()))
    assert "Gateway passed: the project moves to Plan." in page_text(client.post(url, data, follow=True))
    assert Project.objects.get(pk=project.pk).stage == "Plan"
