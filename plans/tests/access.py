from core.access import allowed, everyone
from core.roles import ADMINISTRATOR, COMMISSIONER, COMMITTEE_OFFICER, PLACEMENTS_OFFICER, VIEWER

from .factories import ActionFactory, PriorityFactory, StrategyFactory

EVERYONE_SIGNED_IN = (ADMINISTRATOR, COMMISSIONER, PLACEMENTS_OFFICER, COMMITTEE_OFFICER, VIEWER)
EDITORS = (ADMINISTRATOR, COMMISSIONER)


def url_cases():
    strategy = StrategyFactory()
    priority = PriorityFactory(strategy=strategy)
    action = ActionFactory(strategy=strategy, priority=priority)
    return {
        # Strategy and action plan: everyone reads, commissioners write.
        "strategy": ({}, allowed(*EVERYONE_SIGNED_IN)),
        "strategy_create": ({}, allowed(*EDITORS)),
        "strategy_detail": ({"pk": strategy.pk}, allowed(*EVERYONE_SIGNED_IN)),
        "strategy_edit": ({"pk": strategy.pk}, allowed(*EDITORS)),
        "strategy_priority_create": ({"pk": strategy.pk}, allowed(*EDITORS)),
        "strategy_priority_edit": ({"pk": priority.pk}, allowed(*EDITORS)),
        "actions": ({}, everyone()),
        "actions_create": ({}, allowed(*EDITORS)),
        "actions_detail": ({"pk": action.pk}, allowed(*EVERYONE_SIGNED_IN)),
        "actions_edit": ({"pk": action.pk}, allowed(*EDITORS)),
        "actions_progress": ({"pk": action.pk}, allowed(*EDITORS, status=405)),  # POST only
    }
