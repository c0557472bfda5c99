from core.access import allowed, everyone
from core.roles import ADMINISTRATOR, COMMISSIONER


def url_cases():
    from contracts.tests.factories import ContractFactory
    from market import services
    from market.models import OfstedSetting, QualityAction, QualityCheck

    contract = ContractFactory()
    provider = contract.provider
    group = services.group_create(user=None, name="Access Care Group")
    setting = OfstedSetting.objects.create(urn="SC999001", setting_name="Unlinked home")
    check = QualityCheck.objects.create(provider=provider, checked_on=contract.start_date, rating="good")
    action = QualityAction.objects.create(check_record=check, action="Send records", due_on=contract.start_date,
                                          owner=contract.contract_manager or _someone())
    writers = allowed(ADMINISTRATOR, COMMISSIONER)
    # A POST-only action: GET is not allowed for those who may post, forbidden for the rest.
    post_only = allowed(ADMINISTRATOR, COMMISSIONER, status=405)
    return {
        "market:index": ({}, everyone()),
        "market:groups": ({}, everyone()),
        "market:group_create": ({}, writers),
        "market:group_detail": ({"pk": group.pk}, everyone()),
        "market:group_edit": ({"pk": group.pk}, writers),
        "market:provider_detail": ({"pk": provider.pk}, everyone()),
        "market:provider_group": ({"pk": provider.pk}, writers),
        "market:check_create": ({"pk": provider.pk}, writers),
        "market:action_add": ({"pk": check.pk}, writers),
        "market:action_complete": ({"pk": action.pk}, post_only),
        "market:import_ofsted": ({}, writers),
        "market:imports": ({}, writers),
        "market:unmatched": ({}, everyone()),
        "market:setting_link": ({"pk": setting.pk}, writers),
        "market:risk": ({}, everyone()),
        "market:performance": ({}, everyone()),
        "market:ratings_export": ({}, everyone()),
        "market:contract_performance": ({"pk": contract.pk}, everyone()),
        "market:contract_kpi_create": ({"pk": contract.pk}, writers),
        "market:contract_return": ({"pk": contract.pk}, writers),
        "market:contract_rate": ({"pk": contract.pk}, writers),
    }


def _someone():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user(username="action-owner")
