from commissioning.access import allowed, everyone
from commissioning.roles import ADMINISTRATOR, COMMISSIONER


def url_cases():
    from contracts.tests.factories import ContractFactory, FrameworkFactory, PlanItemFactory, ReviewFactory

    contract = ContractFactory()
    ReviewFactory(contract=contract)
    framework = FrameworkFactory()
    PlanItemFactory(replaces=contract)
    writers = allowed(ADMINISTRATOR, COMMISSIONER)
    return {
        "contracts:index": ({}, everyone()),
        "contracts:export": ({"fmt": "csv"}, everyone()),
        "contracts:create": ({}, writers),
        "contracts:due": ({}, everyone()),
        "contracts:import": ({}, writers),
        "contracts:detail": ({"pk": contract.pk}, everyone()),
        "contracts:edit": ({"pk": contract.pk}, writers),
        "contracts:decision": ({"pk": contract.pk}, writers),
        "contracts:add_review": ({"pk": contract.pk}, writers),
        "contracts:providers": ({}, everyone()),
        "contracts:provider_detail": ({"pk": contract.provider_id}, everyone()),
        "contracts:frameworks": ({}, everyone()),
        "contracts:framework_detail": ({"pk": framework.pk}, everyone()),
        "contracts:pipeline": ({}, everyone()),
        "contracts:open_data": ({}, everyone()),
        "contracts:transparency": ({}, everyone()),
        "contracts:ocds": ({}, everyone()),
    }
