"""A made-up council's history of children looked after, for the tests, the bench and the comparison with the
field's model: children enter at an age, move between kinds of home and leave, at rates that depend on their
age, with entries growing a little each year. Seeded, so the same call gives the same history."""

from __future__ import annotations

import csv
import random
from datetime import date, timedelta
from pathlib import Path

from .engine import Spell

# Where children go when they come into care, by age: (youngest, oldest, weight, PLACE codes and weights).
_ENTRY_AGES = [(0, 1, 18, {"U6": 7, "U3": 2, "P1": 1}),
               (1, 5, 17, {"U6": 7, "U3": 2, "P1": 1}),
               (5, 10, 18, {"U6": 7, "U4": 1, "U3": 1, "K2": 1}),
               (10, 16, 32, {"U6": 6, "K2": 3, "R1": 1, "P1": 1}),
               (16, 18, 15, {"U6": 3, "H5": 4, "K2": 2, "P2": 1})]
# Mean days in a placement, by the age band's index and the category, and the chance the next step is a move.
_STAY_DAYS = {"U": (300, 500, 700, 650, 400), "K": (200, 250, 300, 300, 250), "H": (250, 250, 250, 250, 250),
              "P": (150, 150, 200, 250, 250), "R": (200, 200, 300, 300, 250)}
_MOVE_CHANCE = (0.25, 0.35, 0.5, 0.55, 0.3)
_MOVES_TO = {"U": {"U6": 4, "U4": 3, "K2": 2, "P1": 1}, "K": {"U6": 3, "K2": 4, "H5": 2, "R1": 1},
             "H": {"P2": 3, "H5": 3, "U6": 1}, "P": {"U6": 5, "P1": 2, "K2": 1}, "R": {"K2": 3, "U6": 2}}


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _band_index(age_years: float) -> int:
    return 0 if age_years < 1 else 1 if age_years < 5 else 2 if age_years < 10 else 3 if age_years < 16 else 4


def history(*, start: date, years: int, entries_a_year: int, growth: float = 0.03, seed: int = 26,
            end: date | None = None, records_from: date | None = None) -> list[Spell]:
    """Episodes of children entering between `start` and `start + years`, recorded as known on `end` (episodes
    still running then are open). With `records_from`, only episodes still running on or after it are kept, as
    a council's returns hold the children in care when its records begin and everyone since."""
    rng = random.Random(seed)
    end = end or start + timedelta(days=round(years * 365.25))
    spells = []
    child_number = 100000
    elapsed = 0.0  # days since `start`: entries arrive as a Poisson stream
    span = (end - start).days
    while True:
        daily = entries_a_year * (1 + growth) ** (elapsed / 365.25) / 365.25
        elapsed += rng.expovariate(daily)
        day = start + timedelta(days=int(elapsed))
        if elapsed >= span or day >= end:
            break
        child_number += 1
        lo, hi, _w, places = rng.choices(_ENTRY_AGES, weights=[a[2] for a in _ENTRY_AGES])[0]
        age_years = rng.uniform(lo, hi - 0.2 if hi == 18 else hi)
        birth = day - timedelta(days=round(age_years * 365.25))
        birth = date(birth.year, birth.month, 15)
        eighteenth = date(birth.year + 18, birth.month, birth.day)
        place = _pick(rng, places)
        episode_start = day
        while episode_start < end:
            band = _band_index((episode_start - birth).days / 365.25)
            stay = _STAY_DAYS[place[0]][band] if place[0] in _STAY_DAYS else 250
            episode_end = episode_start + timedelta(days=max(1, round(rng.expovariate(1 / stay))))
            leaving = False
            if episode_end >= eighteenth:
                episode_end, leaving = eighteenth, True
            recorded_end = episode_end if episode_end <= end else None
            if records_from is None or recorded_end is None or recorded_end >= records_from:
                spells.append(Spell(str(child_number), birth, episode_start, recorded_end, place))
            if recorded_end is None or leaving or rng.random() > _MOVE_CHANCE[band]:
                break
            place = _pick(rng, _MOVES_TO.get(place[0], {"U6": 1}))
            episode_start = episode_end
    return spells


def write_903(spells: list[Spell], folder: Path) -> None:
    """The episodes as a 903 return's header and episodes files (what the field's model reads)."""
    folder.mkdir(parents=True, exist_ok=True)
    births = {}
    for spell in spells:
        births.setdefault(spell.child, spell.birth)
    with open(folder / "header.csv", "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"])
        for child, birth in births.items():
            writer.writerow([child, "1", f"{birth:%d/%m/%Y}", "WBRI", "", "", ""])
    with open(folder / "episodes.csv", "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC",
                         "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST"])
        for spell in spells:
            writer.writerow([spell.child, f"{spell.start:%d/%m/%Y}", "S", "C2", "N1", spell.place, "PR1",
                             f"{spell.end:%d/%m/%Y}" if spell.end else "", "E11" if spell.end else "", "", "", ""])
