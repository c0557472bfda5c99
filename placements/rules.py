"""Pure rules for placements: plain values in, plain values out, no database.

Distances between postcode districts, the weekly cost in force on a day, when a cost change
needs a second person's approval, how SSDA903 episodes become placements, and the DfE
placement stability rules.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from dateutil.relativedelta import relativedelta

from core.periods import year_to

from .reference.codes import LEGAL_STATUSES, PLACEMENT_PROVIDERS, PLACEMENT_TYPES

EARTH_RADIUS_MILES = 3958.8
# Read from the reference codes the database is loaded from, so the pure rules and the SQL ones
# (PlacementType.category, LegalStatus.is_short_break, PlacementProvider.kind) say the same.
TEMPORARY_PLACE_CODES = frozenset(code for code, _, category, *_ in PLACEMENT_TYPES if category == "temporary")
# Placed for adoption (A3-A6 today): PlacementType.category "adoption" in SQL.
ADOPTION_PLACE_CODES = frozenset(code for code, _, category, *_ in PLACEMENT_TYPES if category == "adoption")
SHORT_BREAK_LEGAL_STATUSES = frozenset(code for code, _, short_break in LEGAL_STATUSES if short_break)
# Provider kinds the council buys from: everything but parents and its own provision.
EXTERNAL_PROVIDER_KINDS = frozenset({"private", "voluntary", "other_council", "other_public"})
EXTERNAL_PROVIDER_CODES = frozenset(code for code, _, kind in PLACEMENT_PROVIDERS if kind in EXTERNAL_PROVIDER_KINDS)
# DfE's "other placements" (Z1 to 2024-25; Z11-Z14 from 2025-26: unregistered settings, deprivation of
# liberty). DfE's rule 178 says their PLACE_PROVIDER must be blank, so a placement of one of these has no
# provider kind. (Temporary moves are blank in the return too; the import takes them as PR1.)
NO_PROVIDER_PLACE_CODES = frozenset({"Z1", "Z11", "Z12", "Z13", "Z14"})
IN_HOUSE_ROUTE = "in_house"  # models.Route.IN_HOUSE
NEW_PLACEMENT_RNE = frozenset({"S", "P", "B", "T", "U"})
CONTINUES_PLACEMENT_RNE = frozenset({"L"})

_DISTRICT = re.compile(r"^[A-Z]{1,2}[0-9][0-9A-Z]?$")
_INWARD = re.compile(r"[0-9][A-Z]{2}$")


# --- postcodes and distance ----------------------------------------------------------------

def postcode_district(text: str) -> str:
    """The outward code (district) of a postcode or district: 'rg1 7ab' -> 'RG1', 'SW1A1AA' -> 'SW1A'.

    Raises ValueError for anything that is not a UK postcode or district.
    """
    compact = re.sub(r"\s+", "", text or "").upper()
    if not compact:
        raise ValueError("is blank")
    if len(compact) >= 5 and _INWARD.search(compact) and _DISTRICT.match(compact[:-3]):
        return compact[:-3]
    if _DISTRICT.match(compact):
        return compact
    raise ValueError(f"'{text}' is not a postcode or postcode district")


def miles_between(lat1, lon1, lat2, lon2) -> Decimal:
    """Great-circle (straight-line) distance in miles, to one decimal place."""
    p1, p2 = math.radians(float(lat1)), math.radians(float(lat2))
    dp, dl = p2 - p1, math.radians(float(lon2) - float(lon1))
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    miles = 2 * EARTH_RADIUS_MILES * math.asin(min(1.0, math.sqrt(a)))
    return Decimal(str(miles)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def placement_distance(
    home: str, placed: str, centroids: Mapping[str, tuple], recorded: Decimal | None
) -> Decimal | None:
    """Distance from home to placement: from district centroids when both are known, else the
    recorded distance, else None ("not known")."""
    if home and placed and home in centroids and placed in centroids:
        return miles_between(*centroids[home], *centroids[placed])
    return recorded


# --- costs ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class CostChange:
    weekly_amount: Decimal
    effective_from: date
    effective_to: date | None = None
    in_force: bool = True  # False while awaiting approval, or rejected


def cost_in_force(lines: Iterable[CostChange], day: date) -> Decimal:
    """The weekly cost on `day`: the sum of lines in force that cover it (a reduction is negative)."""
    total = Decimal("0")
    for line in lines:
        if line.in_force and line.effective_from <= day and (line.effective_to is None or line.effective_to >= day):
            total += line.weekly_amount
    return total


def approval_needed(
    *, current_weekly: Decimal, change: Decimal, threshold_pct: Decimal, approval_weekly: Decimal
) -> bool:
    """Whether a cost change needs a second person's approval before it takes effect.

    It does when it moves the weekly cost by more than `threshold_pct` per cent of the cost in
    force (any first price counts as a 100% change), or when an increase leaves the weekly
    total above `approval_weekly` (PLACEMENTS_COST_APPROVAL_WEEKLY).
    """
    new_total = current_weekly + change
    if change > 0 and new_total > approval_weekly:
        return True
    if current_weekly <= 0:
        return change != 0
    return abs(change) * 100 > threshold_pct * current_weekly


# --- SSDA903 episodes to placements --------------------------------------------------------

@dataclass(frozen=True)
class EpisodeRow:
    row: int  # spreadsheet row number, for errors
    child: str
    start: date
    end: date | None
    rne: str
    legal_status: str
    place: str
    provider: str
    reason_ended: str = ""
    reason_change: str = ""
    home_district: str = ""
    placement_district: str = ""
    urn: str = ""
    distance: Decimal | None = None  # PL_DISTANCE, where the return carries it
    in_area: bool | None = None  # PL_LOCATION: IN or OUT


@dataclass
class PlacementGroup:
    """Consecutive episodes of one child in the same placement."""

    episodes: list[EpisodeRow] = field(default_factory=list)
    continues_earlier: bool = False  # first episode is L: carries on a placement from an earlier return

    @property
    def first(self) -> EpisodeRow:
        return self.episodes[0]

    @property
    def last(self) -> EpisodeRow:
        return self.episodes[-1]

    @property
    def start(self) -> date:
        return self.first.start

    @property
    def end(self) -> date | None:
        return self.last.end

    @property
    def child(self) -> str:
        return self.first.child


def episodes_to_placements(episodes: Sequence[EpisodeRow]) -> tuple[list[PlacementGroup], list[tuple[int, str, str]]]:
    """Group one return's episodes into placements.

    An episode whose RNE is S, P, B, T or U starts a new placement; RNE L (a legal status change
    only) continues the child's current one. Returns (groups, errors) where each error is
    (row, column, message).
    """
    errors: list[tuple[int, str, str]] = []
    by_child: dict[str, list[EpisodeRow]] = {}
    for episode in episodes:
        by_child.setdefault(episode.child, []).append(episode)
    groups: list[PlacementGroup] = []
    for child_episodes in by_child.values():
        child_episodes.sort(key=lambda e: e.start)
        current: PlacementGroup | None = None
        previous: EpisodeRow | None = None
        for episode in child_episodes:
            if previous is not None:
                if previous.start == episode.start:
                    errors.append((episode.row, "DECOM", f"repeats the start date of row {previous.row}"))
                elif previous.end is None or previous.end > episode.start:
                    errors.append((episode.row, "DECOM",
                                   f"starts before the episode in row {previous.row} ends"))
            if episode.rne in CONTINUES_PLACEMENT_RNE:
                if current is not None and previous is not None and previous.end == episode.start:
                    if episode.place != current.first.place:
                        errors.append((episode.row, "PLACE",
                                       f"RNE L is a legal status change only, but PLACE changes from "
                                       f"{current.first.place} to {episode.place}"))
                    current.episodes.append(episode)
                else:
                    current = PlacementGroup([episode], continues_earlier=True)
                    groups.append(current)
            elif episode.rne in NEW_PLACEMENT_RNE:
                current = PlacementGroup([episode])
                groups.append(current)
            else:
                errors.append((episode.row, "RNE", f"'{episode.rne}' is not a reason for a new episode"))
            previous = episode
    return groups, errors


def care_period_starts(groups: Sequence[PlacementGroup]) -> dict[int, date | None]:
    """For each group (by index), the day the child's current period of care began.

    A period begins with RNE S and carries on while each placement starts the day the
    previous one ended. None when the start is not in this return (the caller looks it up).
    This is what the import records on each placement; the long-term stability measure does not read
    it but proves continuous care from the episodes themselves (continuous_care_start), so a return
    that begins mid-care with RNE P still counts.
    """
    result: dict[int, date | None] = {}
    last_by_child: dict[str, tuple[PlacementGroup, date | None]] = {}
    order = sorted(range(len(groups)), key=lambda i: (groups[i].child, groups[i].start))
    for i in order:
        group = groups[i]
        prior = last_by_child.get(group.child)
        if group.first.rne == "S":
            start = group.start
        elif prior and prior[0].end == group.start:
            start = prior[1]
        else:
            start = None
        result[i] = start
        last_by_child[group.child] = (group, start)
    return result


# --- stability -----------------------------------------------------------------------------

def in_place_on(start: date, end: date | None, day: date) -> bool:
    """In place on the day (SQL form: `models.covering_q`, `Placement.objects.active_on`): started by
    then and not ended; the end date is the day it ended, so it no longer counts on that day."""
    return start <= day and (end is None or end > day)


def provider_kind_needed(place: str) -> bool:
    """Whether a placement of this PLACE code must name its provider kind: all but DfE's other placements."""
    return place not in NO_PROVIDER_PLACE_CODES


def is_external(*, provider_kind: str | None, route: str) -> bool:
    """Bought from outside the council, so it needs an IPA (SQL form: `selectors.external_q`): its provider
    kind is external (PR2-PR5); or it has none (a DfE other placement, such as an unregistered home) and
    is not recorded as in-house, since the return cannot say who provides it and the council pays someone."""
    if not provider_kind:
        return route != IN_HOUSE_ROUTE
    return provider_kind in EXTERNAL_PROVIDER_KINDS


def missing_agreement_and_cost(*, start: date, end: date | None, provider_kind: str | None, route: str,
                               ipa_status: str | None, weekly_cost, day: date) -> bool:
    """A current external placement with no IPA under way and no weekly cost: nothing secures its price
    or the outcomes expected, so the child's page flags it."""
    return (
        in_place_on(start, end, day) and is_external(provider_kind=provider_kind, route=route)
        and ipa_status in (None, "not_started") and not weekly_cost
    )


def year_bounds(year_ending: date) -> tuple[date, date]:
    """1 April to 31 March of the year ending on `year_ending` (any date: the year ending then)."""
    return year_to(year_ending)


@dataclass(frozen=True)
class PlacementSpan:
    start: date
    end: date | None
    place: str


def placements_counted(spans: Iterable[PlacementSpan], year_start: date, year_end: date) -> int:
    """Placements counted for stability: any part in the year, temporary placements (T0-T4) left out."""
    return sum(
        1 for s in spans
        if s.place not in TEMPORARY_PLACE_CODES and s.start <= year_end and (s.end is None or s.end >= year_start)
    )


def three_or_more(spans: Iterable[PlacementSpan], year_start: date, year_end: date) -> bool:
    return placements_counted(spans, year_start, year_end) >= 3


def under_16_on(birth_year: int, birth_month: int, day: date) -> bool:
    """Under 16 on `day`, knowing only the month of birth: a 16th birthday in the same month as
    `day` may already have passed, so that child counts as 16 (the cautious reading)."""
    return (birth_year + 16, birth_month) > (day.year, day.month)


# Long-term stability (DfE): the cohort is children under 16 on 31 March looked after continuously for
# 2.5 years or more; a child in it is stable after 2 years in the same placement, or when placed for
# adoption and the adoptive placement together with the one before it have lasted 2 years or more.
LONG_TERM_CARE = relativedelta(years=2, months=6)
LONG_TERM_PLACEMENT = relativedelta(years=2)


@dataclass(frozen=True)
class CareSpan:
    """One 903 episode of a child: DECOM, DEC (None while open) and whether it is a short break (V3/V4)."""

    start: date
    end: date | None
    short_break: bool = False


def looked_after_on(episodes: Iterable[CareSpan], day: date) -> bool:
    """Looked after on the day: an episode that is not a short break covers it."""
    return any(not e.short_break and in_place_on(e.start, e.end, day) for e in episodes)


def continuous_care_start(episodes: Iterable[CareSpan], day: date) -> date | None:
    """The DECOM of the earliest episode of the unbroken chain that reaches `day`.

    Walks back from the episode covering the day while an earlier episode's DEC equals the DECOM
    of the one after it, whatever the episodes' RNE: a chain may begin with RNE P (a return that
    starts mid-care) and may run across returns. None when no episode covers the day.
    SQL form: `selectors.long_term_stability` (no break in the chain between the cut-off and the day).
    """
    spans = list(episodes)
    current = next((e for e in spans if in_place_on(e.start, e.end, day)), None)
    if current is None:
        return None
    by_end = {e.end: e for e in spans if e.end is not None}
    seen = {id(current)}
    while current.start in by_end and id(by_end[current.start]) not in seen:
        current = by_end[current.start]
        seen.add(id(current))
    return current.start


def long_term_stable(
    *, care_period_start: date | None, placement_start: date, day: date,
    placed_for_adoption: bool = False, previous_placement_start: date | None = None,
) -> tuple[bool, bool]:
    """(in the cohort, stable) for a child under 16 looked after on `day`.

    In the cohort when looked after continuously since `care_period_start`, 2.5 years or more
    before the day. Stable when in the same placement 2 years or more, or when placed for adoption
    and the adoptive placement together with the placement before it (which ended the day the
    adoptive one began: `previous_placement_start`) have lasted 2 years or more.
    """
    in_cohort = care_period_start is not None and care_period_start <= day - LONG_TERM_CARE
    two_years_before = day - LONG_TERM_PLACEMENT
    stable = placement_start <= two_years_before or (
        placed_for_adoption and previous_placement_start is not None and previous_placement_start <= two_years_before
    )
    return in_cohort, in_cohort and stable


def percentage_text(numerator: int, denominator: int) -> str | None:
    """One decimal place as a string ("8.2"), or None when there is no denominator."""
    if not denominator:
        return None
    value = (Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return str(value)
