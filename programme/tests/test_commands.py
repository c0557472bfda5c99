"""manage.py programme_status."""

import datetime
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from .factories import ProductFactory, ProjectFactory, RiskFactory

pytestmark = pytest.mark.django_db


def _status(*args) -> str:
    out = StringIO()
    call_command("programme_status", *args, stdout=out)
    return out.getvalue()


def test_status_json_is_one_object_per_project():
    late = ProjectFactory(reference="CP-A", stage="Plan", next_gateway_due=datetime.date(2026, 3, 31))
    ProductFactory(project=late, kind="options_appraisal")
    ProductFactory(project=late, kind="eia", status="draft")
    RiskFactory(project=late, likelihood=4, impact=4)
    RiskFactory(project=late, likelihood=1, impact=3)
    ProjectFactory(reference="CP-B", stage="Review", next_gateway_due=None)
    rows = json.loads(_status("--as-of", "2026-04-01", "--json"))
    assert rows == [
        {"reference": "CP-A", "stage": "Plan", "next_gateway_due": "2026-03-31", "gateway_overdue": True,
         "risks": {"red": 1, "amber": 0, "green": 1}, "highest_risk_score": 16,
         "missing": ["equality impact assessment", "business case"]},
        {"reference": "CP-B", "stage": "Review", "next_gateway_due": None, "gateway_overdue": False,
         "risks": {"red": 0, "amber": 0, "green": 0}, "highest_risk_score": None, "missing": []},
    ]
    assert json.loads(_status("--as-of", "2026-03-31", "--json"))[0]["gateway_overdue"] is False


def test_status_text_and_a_bad_date():
    ProjectFactory(reference="CP-A", stage="Analyse", next_gateway_due=datetime.date(2026, 3, 31))
    assert "CP-A             Analyse    gateway 2026-03-31  OVERDUE" in _status("--as-of", "2026-04-01")
    with pytest.raises(CommandError, match="--as-of must be a date"):
        _status("--as-of", "1 April")
