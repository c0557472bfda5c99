"""The 903 code tables say what DfE's validation rules say, for every collection year those rules know.

The rules are Data to Insight's `csc-validator-be-903` (a development dependency). Each year's rule
set lives in `lac_validator.rules.lacYYYY_YY`; the codes a field accepts are the list literal in the
rule that checks the field. The lists are read from the rules' source (not by running them), so a new
year of the package, or a new code in it, makes this test fail until our tables say the same.
"""

import ast
import importlib
import inspect
import pkgutil

import pytest

from core.imports import ImportFailed
from placements.importers import import_903
from placements.models import (
    LegalStatus,
    Placement,
    PlacementProvider,
    PlacementType,
    ReasonEpisodeCeased,
    ReasonNewEpisode,
    ReasonPlaceChange,
)
from placements.rules import NO_PROVIDER_PLACE_CODES, TEMPORARY_PLACE_CODES
from placements.tests.test_import_903 import tables

lac_rules = pytest.importorskip("lac_validator.rules")

# Our table, the rule that checks the field, and the name of the list in that rule.
FIELDS = {
    "PLACE": (PlacementType, "146", "code_list"),
    "PLACE_PROVIDER": (PlacementProvider, "178", "code_list_placement_provider"),
    "LS": (LegalStatus, "144", "code_list"),
    "RNE": (ReasonNewEpisode, "143", "code_list"),
    "REC": (ReasonEpisodeCeased, "149", "code_list"),
    "REASON_PLACE_CHANGE": (ReasonPlaceChange, "1009", "code_list"),
}

# Where the rules' list is not what DfE means, and why we differ.
KNOWN_DIFFERENCES = {
    # The 2024-25 rule 146 spells the new supported accommodation code "k3" in lower case (so the
    # validator would reject every K3 that year); DfE's guidance and the 2025-26 rule spell it K3,
    # and our import reads codes in any case.
    (2025, "PLACE"): {"k3": "K3"},
}


def validator_years() -> list[int]:
    """Every collection year (ending 31 March) the installed package has a rule set for."""
    years = []
    for module in pkgutil.iter_modules(lac_rules.__path__):
        if module.ispkg and module.name.startswith("lac"):
            start, end = module.name[3:].split("_")
            years.append(int(start) + 1)
            assert str(int(start) + 1)[2:] == end, module.name
    return sorted(years)


def validator_codes(year: int, rule_code: str, list_name: str) -> set[str]:
    registry = importlib.import_module(f"lac_validator.rules.lac{year - 1}_{str(year)[2:]}").registry
    source = inspect.getsource(inspect.getmodule(registry[rule_code].func))
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == list_name for t in node.targets):
            return set(ast.literal_eval(node.value))
    raise AssertionError(f"rule {rule_code} of {year} has no list {list_name}")


def test_the_package_knows_the_recent_collection_years():
    years = validator_years()
    assert len(years) >= 5 and years[0] <= 2023 and years == list(range(years[0], years[-1] + 1))


@pytest.mark.django_db
@pytest.mark.parametrize("field", FIELDS)
def test_codes_valid_in_each_year_are_the_ones_dfe_rules_accept(field):
    model, rule_code, list_name = FIELDS[field]
    for year in validator_years():
        theirs = validator_codes(year, rule_code, list_name)
        for spelt, meant in KNOWN_DIFFERENCES.get((year, field), {}).items():
            assert spelt in theirs, f"{field} {year}: the named difference '{spelt}' is gone; drop it"
            theirs = theirs - {spelt} | {meant}
        ours = set(model.objects.valid_in(year).values_list("code", flat=True))
        assert ours == theirs, (
            f"{field} in {year - 1}-{str(year)[2:]}: only ours {sorted(ours - theirs)}, "
            f"only DfE's rules {sorted(theirs - ours)}"
        )


@pytest.mark.django_db
def test_codes_named_in_the_issue_are_valid_where_dfe_accepts_them():
    assert set(PlacementType.objects.valid_in(2017).filter(code__startswith="T").values_list("code", flat=True)) == {
        "T0",
        "T1",
        "T2",
        "T3",
        "T4",
    }
    assert ReasonPlaceChange.objects.filter(code="CUSTOD").exists()
    # H5 and P2 end with 2024-25; K3 begins then (and Z11-Z14 a year later, replacing Z1).
    assert not PlacementType.objects.valid_in(2026).filter(code__in=["H5", "P2", "Z1"]).exists()
    assert PlacementType.objects.valid_in(2025).filter(code="K3").exists()


@pytest.mark.django_db
def test_the_migration_corrects_the_years_first_loaded_and_keeps_an_administrators_correction():
    from django.apps import apps

    migration = importlib.import_module("placements.migrations.0006_ssda903_codes_as_dfe_rules")
    PlacementType.objects.filter(code="T1").update(valid_from_year=None, valid_to_year=2015)  # as first loaded
    PlacementType.objects.filter(code="Z1").update(valid_from_year=None, valid_to_year=2030)  # changed in the admin
    ReasonPlaceChange.objects.filter(code="CUSTOD").delete()
    migration.forwards(apps, None)
    assert PlacementType.objects.get(code="T1").valid_to_year is None
    assert PlacementType.objects.get(code="Z1").valid_to_year == 2030
    assert ReasonPlaceChange.objects.filter(code="CUSTOD").exists()


@pytest.mark.django_db
def test_place_codes_dfe_rules_give_no_provider_are_all_taken_blank(placements_officer):
    taken_blank = set(TEMPORARY_PLACE_CODES) | {"P1"}  # temporary: own provision (PR1); P1: parents (PR0)
    dfe_no_provider = set()
    for year in validator_years():
        no_provider = validator_codes(year, "178", "code_list_placement_with_no_provider")
        assert no_provider - taken_blank - NO_PROVIDER_PLACE_CODES == set(), year
        dfe_no_provider |= no_provider
    # and only those: every other PLACE code still needs its provider
    assert NO_PROVIDER_PLACE_CODES <= dfe_no_provider
    episodes = ("CHILD,DECOM,RNE,LS,PLACE,PLACE_PROVIDER\n100001,01/05/2024,S,C2,T2,\n100002,01/05/2024,S,C2,Z1,\n"
                "100001,01/06/2024,P,C2,U4,\n")
    with pytest.raises(ImportFailed) as failed:
        import_903(*tables(episodes=episodes), user=placements_officer)
    problems = [(e.row, e.column, e.message) for e in failed.value.errors]
    assert problems == [(4, "episodes: PLACE_PROVIDER", "is required")]  # U4: a provider is needed
    episodes = "CHILD,DECOM,RNE,LS,PLACE,PLACE_PROVIDER\n100001,01/05/2024,S,C2,T2,\n100002,01/05/2024,S,C2,Z1,\n"
    import_903(*tables(episodes=episodes), user=placements_officer)
    kinds = dict(Placement.objects.values_list("child__reference", "provider_kind__code"))
    assert kinds == {"100001": "PR1", "100002": None}
