"""Placements' part of the home page for people who follow the service rather than place children: how many
children are looked after today and how they are placed. Counts of children: through the same suppression as the
sufficiency page for anyone without child-level access."""

from core.registry import HomePanelSpec, registry
from core.roles import VIEWER, sees_small_numbers

from .presenters import placement_mix_display


def placement_mix_context(*, user, as_of) -> dict:
    return {**placement_mix_display(as_of=as_of, suppress=not sees_small_numbers(user)), "as_of": as_of}


def register() -> None:
    registry.home_panel(HomePanelSpec(
        key="placements_mix", permission="placements.view_sufficiency", template="placements/_home_placement_mix.html",
        context=placement_mix_context, roles=frozenset({VIEWER}), order=14,
    ))
