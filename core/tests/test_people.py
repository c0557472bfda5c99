import pytest
from django.core.management import call_command

from contracts.tests.factories import ContractFactory
from core.people import UserMatcher
from core.services import people_link_by_name
from kpis.tests.factories import IndicatorFactory

pytestmark = pytest.mark.django_db


def test_a_user_is_matched_by_username_email_or_full_name_in_any_case(make_user):
    ann = make_user("Commissioner", "ann")
    ann.first_name, ann.last_name = "Ann", "Commissioner"
    ann.save()
    matcher = UserMatcher()
    assert matcher.match("ANN") == ann
    assert matcher.match("Ann@Example.gov.uk") == ann
    assert matcher.match("  ann   commissioner ") == ann
    assert matcher.match("Head of Service") is None
    assert matcher.match("") is None


def test_a_full_name_two_people_share_matches_nobody(make_user):
    for username in ("jo1", "jo2"):
        user = make_user("Viewer", username)
        user.first_name, user.last_name = "Jo", "Smith"
        user.save()
    assert UserMatcher().match("Jo Smith") is None


def test_owners_and_managers_kept_as_text_are_linked_once_an_account_matches(make_user, capsys):
    contract = ContractFactory(contract_manager=None, manager_name="A. Commissioner")
    indicator = IndicatorFactory(owner=None, owner_title="Head of Service")
    assert people_link_by_name()["contracts.contract"] == 0
    user = make_user("Commissioner", "acomm")
    user.first_name, user.last_name = "A.", "Commissioner"
    user.save()
    call_command("link_people")
    assert "Contract managers: 1 linked." in capsys.readouterr().out
    contract.refresh_from_db()
    indicator.refresh_from_db()
    assert contract.contract_manager == user and contract.manager_name == "A. Commissioner"
    assert indicator.owner is None  # a post is not a person's name
