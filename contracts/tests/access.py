from core.access import NOT_FOUND, allowed, everyone
from core.roles import ADMINISTRATOR, COMMISSIONER


def url_cases():
    from contracts.tests.factories import (
        ContractFactory,
        FrameworkFactory,
        MembershipFactory,
        PlanItemFactory,
        ReviewFactory,
    )

    contract = ContractFactory()
    ReviewFactory(contract=contract)
    framework = FrameworkFactory()
    plan_item = PlanItemFactory(replaces=contract)
    membership = MembershipFactory(framework=framework)
    writers = allowed(ADMINISTRATOR, COMMISSIONER)
    return {
        "contracts:index": ({}, everyone()),
        "contracts:export": ({"fmt": "csv"}, everyone()),
        "contracts:create": ({}, writers),
        "contracts:due": ({}, everyone()),
        "contracts:import": ({}, writers),
        "contracts:imports": ({}, writers),
        "contracts:detail": ({"pk": contract.pk}, everyone()),
        "contracts:edit": ({"pk": contract.pk}, writers),
        "contracts:decision": ({"pk": contract.pk}, writers),
        "contracts:add_review": ({"pk": contract.pk}, writers),
        "contracts:providers": ({}, everyone()),
        "contracts:provider_create": ({}, writers),
        "contracts:provider_detail": ({"pk": contract.provider_id}, everyone()),
        "contracts:provider_edit": ({"pk": contract.provider_id}, writers),
        "contracts:frameworks": ({}, everyone()),
        "contracts:framework_create": ({}, writers),
        "contracts:framework_detail": ({"pk": framework.pk}, everyone()),
        "contracts:framework_edit": ({"pk": framework.pk}, writers),
        "contracts:framework_add_member": ({"pk": framework.pk}, writers),
        "contracts:framework_remove_member": ({"pk": framework.pk, "member_pk": membership.pk}, writers),
        "contracts:pipeline": ({}, everyone()),
        "contracts:plan_create": ({}, writers),
        "contracts:plan_edit": ({"pk": plan_item.pk}, writers),
        "contracts:open_data": ({}, everyone()),
        "contracts:transparency": ({}, everyone()),
        "contracts:ocds": ({}, everyone()),
        # Off by default (OPEN_DATA_PUBLIC): the address does not exist, signed in or not.
        "contracts:public_transparency": ({}, everyone(NOT_FOUND)),
        "contracts:public_ocds": ({}, everyone(NOT_FOUND)),
    }
