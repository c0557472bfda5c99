"""Child data is special category data: no field anywhere may hold a name, a full date of birth or a
full postcode. This walks every model of every project app (history tables included)."""

import re

from django.apps import apps
from django.db import models

PROJECT_APPS = {"core", "outcomes", "kpis", "contracts", "placements", "finance", "market", "plans", "reports"}
PERSON_NAME = re.compile(
    r"(^|_)(first|last|given|family|middle|maiden|full|child|mother|father|carer|parent|sur|fore)_?names?$"
    r"|^(surname|forename|forenames)$"
)
BIRTH = re.compile(r"(^|_)(dob|birth_?date|date_of_birth|born_on|mc_dob)$")
POSTCODE = re.compile(r"post_?code")
DISTRICT_MAX = 4


def project_fields():
    for model in apps.get_models():
        if model._meta.app_label in PROJECT_APPS:
            for field in model._meta.get_fields():
                if isinstance(field, models.Field):
                    yield model, field


def test_no_field_can_hold_a_persons_name():
    offenders = [f"{m._meta.label}.{f.name}" for m, f in project_fields() if PERSON_NAME.search(f.name)]
    assert not offenders, f"fields that could hold a person's name: {offenders}"


def test_no_field_can_hold_a_full_date_of_birth():
    offenders = [
        f"{m._meta.label}.{f.name}" for m, f in project_fields()
        if BIRTH.search(f.name) or ("birth" in f.name and isinstance(f, models.DateField | models.DateTimeField))
    ]
    assert not offenders, f"fields that could hold a full date of birth: {offenders}"


def test_no_field_can_hold_a_full_postcode():
    offenders = [
        f"{m._meta.label}.{f.name}" for m, f in project_fields()
        if (POSTCODE.search(f.name) or f.name.endswith("district"))
        and isinstance(f, models.CharField) and (f.max_length or 0) > DISTRICT_MAX
    ]
    assert not offenders, f"fields that could hold a full postcode: {offenders}"


def test_child_holds_only_the_reviewed_fields():
    """Adding a field to Child needs a privacy review: update this list only after one."""
    from placements.models import Child

    assert {f.name for f in Child._meta.concrete_fields} == {
        "id", "reference", "sex", "birth_month", "birth_year", "ethnicity", "unaccompanied_asylum_seeking", "send",
        "ehc_plan",
    }


def test_district_fields_refuse_a_full_postcode(db):
    import pytest
    from django.core.exceptions import ValidationError

    from placements.tests.factories import PlacementFactory

    placement = PlacementFactory()
    placement.placement_district = "RG1 7AB"
    with pytest.raises(ValidationError):
        placement.full_clean()
    placement.placement_district = "7AB"
    with pytest.raises(ValidationError):
        placement.full_clean()
