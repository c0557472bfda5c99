from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.template.loader import render_to_string

from contracts.reports import section_context
from contracts.tests.factories import ContractFactory

pytestmark = pytest.mark.django_db
AS_OF = date(2026, 11, 23)
PERIOD = {"period_start": date(2026, 7, 1), "period_end": date(2026, 9, 30), "as_of": AS_OF}


def test_section_context_and_template():
    ContractFactory(reference="END-1", service_area_id="fostering", annual_value=Decimal("200000"),
                    end_date=AS_OF + timedelta(days=100))
    ContractFactory(reference="END-2", service_area_id="residential", annual_value=Decimal("500000"),
                    end_date=AS_OF + timedelta(days=300), decision="reprocure",
                    decision_for_end=AS_OF + timedelta(days=300), decision_on=date(2026, 8, 1))
    ContractFactory(reference="LONG", service_area_id="residential", annual_value=Decimal("100000"),
                    end_date=date(2029, 1, 1), start_date=date(2026, 8, 1), savings=Decimal("15000"))
    ContractFactory(reference="GONE", start_date=date(2020, 1, 1), end_date=date(2021, 1, 1), extension_options="")
    context = section_context(**PERIOD)
    assert context["summary"]["count"] == 3 and context["summary"]["annual"] == Decimal("800000")
    assert [c.reference for c in context["ending"]] == ["END-1", "END-2"]
    assert [c.reference for c in context["decisions_needed"]] == ["END-1"]
    assert [c.reference for c in context["decisions_overdue"]] == ["END-1"]
    assert [(a["label"], a["annual"]) for a in context["areas"]] == [
        ("Residential care", Decimal("600000")), ("Fostering", Decimal("200000"))]
    assert context["period_savings"] == Decimal("15000")
    assert context["decisions_in_period"] == [("Re-procure", 1)]
    html = render_to_string("contracts/pdf/section.html", {**context, **PERIOD, "section": {"number": 3}})
    assert "3 live children" in html and "£800,000" in html
    assert "None recorded – overdue" in html and "<svg" in html and "<thead>" in html
    assert "Live contracts ending by 23 November 2027, soonest first" in html


def test_section_with_no_contracts():
    context = section_context(**PERIOD)
    html = render_to_string("contracts/pdf/section.html", {**context, **PERIOD, "section": {"number": 3}})
    assert "holds 0 live" in html and "No live contract ends in the next 12 months." in html
