"""The DfE validation report on Data to Insight's fake return (tests/fixtures/csc-validator-be-903, made to
exercise the validator and full of deliberate errors): what each rule reports is what that rule finds run
alone on a return of its own, whatever ran before it."""

import pickle
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from core.imports import read_table
from placements import dfe_check
from placements.models import DfeCheck

FAKE_RETURN = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "csc-validator-be-903"
RICHMOND = "E09000027"  # the authority Data to Insight's own runs of the fake data use

# One test process runs the module, so that its module-scoped build happens once, not once in each process.
pytestmark = pytest.mark.xdist_group("dfe-check-fake-return")


@pytest.fixture(scope="module")
def fake_return():
    return {
        "header": dfe_check.held_table(
            read_table((FAKE_RETURN / "header.csv").read_bytes(), "header.csv"), dfe_check.HEADER_COLUMNS
        ),
        "episodes": dfe_check.held_table(
            read_table((FAKE_RETURN / "episodes.csv").read_bytes(), "episodes.csv"), dfe_check.EPISODE_COLUMNS
        ),
    }


@pytest.fixture(scope="module")
def checked(fake_return):
    year = dfe_check.return_collection_year(fake_return["episodes"])
    return dfe_check.rules_check(fake_return, collection_year=year, local_authority=RICHMOND)


def alone(fake_return, year: int, ruleset_year: int) -> dict[str, int]:
    """Each rule run by itself, on a return built afresh for it (unpickled, so it shares nothing with any
    other rule's), as the package's own tests run one rule: rows flagged by rule code."""
    from lac_validator.datastore import create_datastore
    from lac_validator.rules.ruleset_utils import get_year_ruleset

    frames, numbers, children = {}, {}, {}
    for name, ours in dfe_check.FILES.items():
        frames[name], numbers[name], children[name] = dfe_check._frame(fake_return[ours])
    metadata = {"collectionYear": str(year), "localAuthority": RICHMOND, "file_format": "csv"}
    pristine = pickle.dumps(create_datastore(frames, metadata))
    counts = {}
    for code, rule in get_year_ruleset(str(ruleset_year)).items():
        try:
            flagged = rule.func(pickle.loads(pristine))
        except Exception:  # a rule that cannot run alone has no count to compare
            continue
        if flagged:
            counts[str(code)] = len(dfe_check._rows(flagged, numbers, children))
    return counts


def test_every_rule_counts_what_it_finds_run_alone(fake_return, checked):
    reported = {r.code: len(r.rows) for r in checked.results if not r.error}
    expected = {code: n for code, n in alone(fake_return, 2019, 2023).items() if n}
    assert reported == expected
    assert len(reported) == 69
    # Rules that, run after others on shared tables, used to report other counts (388: 1,081 rows)
    assert (reported["388"], reported["374"], reported["607"]) == (21, 108, 4)
    assert "386" not in reported and "407" not in reported
    assert not [r for r in checked.results if r.error]


def test_the_fake_return_is_checked_as_at_its_own_year_with_the_nearest_rules(checked):
    # Its latest date is 01/04/2018: a 2018-19 return, older than any rules the package has
    assert (checked.collection_year, checked.ruleset_year) == (2019, 2023)
    assert checked.notes == [
        "The validator has no rules for 2018-19: its nearest, the 2022-23 rules, were used, checked as at the "
        "return's own year end (31 March 2019)."
    ]
    found = {r.code: len(r.rows) for r in checked.results}
    # Rule 359 (looked after past 18): 17 children as at 31 March 2019, not the 446 of 31 March 2023
    assert found["359"] == 17
    assert checked.rules_run == 111 and len(found) == 69 and sum(found.values()) == 32286


def test_the_page_says_which_rules_were_used_and_as_at_when(placements_client, checked):
    DfeCheck.objects.create(
        status="done",
        finished_at=timezone.now(),
        collection_year=checked.collection_year,
        ruleset_year=checked.ruleset_year,
        rules_run=checked.rules_run,
        notes="\n".join(checked.notes),
    )
    page = placements_client.get(reverse("placements:import_903")).content.decode()
    rules = page.split('id="dfe-check-rules">')[1].split("</dd>")[0]
    assert rules.startswith(
        "2022-23 collection year (the nearest the validator has to the return's 2018-19), checked as at "
        "31 March 2019: 111 rules checked"
    )
    assert "its nearest, the 2022-23 rules, were used, checked as at the return&#x27;s own year end" in page


def test_the_2024_25_rules_count_what_each_finds_run_alone(fake_return):
    # The same return checked as at 31 March 2025 with the 2024-25 rules, where rules that write to their tables
    # (388, 374 ...) used to report what earlier rules had left there
    result = dfe_check.rules_check(fake_return, collection_year=2025, local_authority=RICHMOND)
    assert result.ruleset_year == 2025 and result.notes == []
    reported = {r.code: len(r.rows) for r in result.results if not r.error}
    assert reported == {code: n for code, n in alone(fake_return, 2025, 2025).items() if n}
    assert len(reported) > 50
