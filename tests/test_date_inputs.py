"""Every date a form saves is asked for as GOV.UK's date input (core.fields.DateField), in every app."""

import importlib
import inspect
from datetime import date

import pytest
from django import forms
from django.urls import reverse

from core.fields import DateField, DateText

APPS = ["core", "outcomes", "kpis", "contracts", "placements", "finance", "market", "plans", "reports"]

# Filters read from the query string (GET): links and bookmarks carry their "as of" date as one value.
GET_FILTER_FORMS = {
    "placements.forms.AsOfForm",
    "placements.forms.IpaQueueForm",
    "finance.forms.ForecastForm",
    "finance.forms.SnapshotForm",
}


def _form_classes():
    for app in APPS:
        try:
            module = importlib.import_module(f"{app}.forms")
        except ModuleNotFoundError:
            continue
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__ and issubclass(cls, forms.BaseForm):
                yield f"{cls.__module__}.{cls.__name__}", cls


def test_every_date_field_of_every_form_is_the_govuk_date_input():
    date_fields, wrong = [], []
    for name, cls in _form_classes():
        for field_name, field in cls.base_fields.items():
            if isinstance(field, DateField):
                date_fields.append(f"{name}.{field_name}")
            elif isinstance(field, forms.DateField | forms.DateTimeField) or (
                isinstance(field, DateText) and name not in GET_FILTER_FORMS
            ):
                wrong.append(f"{name}.{field_name} ({type(field).__name__})")
    assert wrong == []
    assert len(date_fields) >= 30  # the apps' forms hold about 35 dates: the test looked at the right forms


@pytest.fixture
def pages(db):
    from contracts.tests.factories import ContractFactory, FrameworkFactory, PlanItemFactory
    from kpis.tests.factories import IndicatorFactory
    from placements.tests.factories import PanelReviewFactory, PlacementFactory
    from plans.tests.factories import ActionFactory, StrategyFactory

    contract = ContractFactory()
    placement = PlacementFactory()
    indicator = IndicatorFactory()
    action = ActionFactory()
    return [
        (reverse("contracts:create"), ["start_date", "end_date"]),
        (reverse("contracts:edit", args=[contract.pk]), ["start_date", "end_date"]),
        (reverse("contracts:decision", args=[contract.pk]), ["decided_on"]),
        (reverse("contracts:add_review", args=[contract.pk]), ["reviewed_on"]),
        (
            reverse("contracts:plan_edit", args=[PlanItemFactory().pk]),
            ["planned_start", "planned_award", "planned_contract_start", "approved_on"],
        ),
        (reverse("contracts:provider_edit", args=[contract.provider.pk]), ["ofsted_inspected_on"]),
        (reverse("contracts:framework_add_member", args=[FrameworkFactory().pk]), ["joined_on"]),
        (reverse("kpis:target_add", args=[indicator.pk]), ["starts_on"]),
        (reverse("placements:placement_add"), ["start"]),
        (reverse("placements:placement_edit", args=[placement.pk]), ["end"]),
        (reverse("placements:cost_add", args=[placement.pk]), ["effective_from", "effective_to"]),
        (reverse("placements:ipa_edit", args=[placement.pk]), ["drafted_on", "issued_on", "signed_on", "review_date"]),
        (reverse("placements:panel_review_record", args=[PanelReviewFactory().pk]), ["held_on", "next_due_on"]),
        (reverse("market:check_create", args=[contract.provider.pk]), ["checked_on", "due_on"]),
        (reverse("market:contract_rate", args=[contract.pk]), ["year_ending"]),
        (reverse("strategy_edit", args=[StrategyFactory().pk]), ["starts_on", "ends_on", "approved_on"]),
        (reverse("actions_edit", args=[action.pk]), ["due_on"]),
        (reverse("actions_detail", args=[action.pk]), ["noted_on"]),
        (reverse("finance:history"), ["keep-as_of"]),
    ]


def test_the_forms_of_every_app_show_day_month_and_year_boxes(admin_user_client, pages):
    for url, names in pages:
        html = admin_user_client.get(url).content.decode()
        assert 'type="date"' not in html, url
        for name in names:
            assert f'<div class="govuk-date-input" id="id_{name}">' in html, (url, name)
            for part in ("day", "month", "year"):
                assert f'id="id_{name}_{part}" name="{name}_{part}" type="text" inputmode="numeric"' in html, (
                    url,
                    name,
                    part,
                )


def test_a_date_typed_in_three_boxes_is_saved_and_an_incomplete_one_is_named(placements_client):
    from placements.models import CostLine
    from placements.tests.factories import PlacementFactory

    placement = PlacementFactory(start=date(2024, 6, 1))
    url = reverse("placements:cost_add", args=[placement.pk])
    data = {
        "kind": "initial",
        "weekly_amount": "1,250",
        "reason": "Agreed price",
        "effective_from_day": "3",
        "effective_from_month": "",
        "effective_from_year": "2024",
    }
    html = placements_client.post(url, data).content.decode()
    assert '<a href="#id_effective_from_month">The date the change takes effect must include a month</a>' in html
    assert not CostLine.objects.filter(placement=placement).exists()
    data["effective_from_month"] = "jun"
    response = placements_client.post(url, data)
    assert response.status_code == 302
    assert CostLine.objects.get(placement=placement).effective_from == date(2024, 6, 3)
