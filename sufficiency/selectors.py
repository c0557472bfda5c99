"""Reads for the sufficiency pages and the forecast."""

from __future__ import annotations

from datetime import date

from django.db.models import Exists, OuterRef

from placements.models import Episode, Placement

from . import engine


def _birth(year: int, month: int) -> date:
    # Only the month and year of birth are kept: the middle of the month is the best guess at the day.
    return date(year, month, 15)


def care_spells() -> list[engine.Spell]:
    """Every 903 episode of care (short breaks, legal statuses V3 and V4, are not being looked after) with its
    placement's PLACE code, and placements entered in the app that have no episodes. Two queries."""
    episodes = (
        Episode.objects.filter(legal_status__is_short_break=False)
        .values_list("child__reference", "child__birth_year", "child__birth_month", "start", "end",
                     "placement__placement_type__code")
        .order_by()
    )
    spells = [engine.Spell(ref, _birth(year, month), start, end, place)
              for ref, year, month, start, end, place in episodes.iterator(chunk_size=5000)]
    without = (
        Placement.objects.filter(~Exists(Episode.objects.filter(placement=OuterRef("pk"))))
        .values_list("child__reference", "child__birth_year", "child__birth_month", "start", "end",
                     "placement_type__code")
        .order_by()
    )
    spells += [engine.Spell(ref, _birth(year, month), start, end, place)
               for ref, year, month, start, end, place in without.iterator(chunk_size=5000)]
    return spells
