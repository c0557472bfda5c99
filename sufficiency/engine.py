"""The demand forecast: a stock-and-flow model of children looked after by age and placement category.

Pure functions on plain values (no database), so the command, the worker, the tests and the bench all run
the same code. The field's model (Data to Insight / Social Finance's `cs-demand-model`) is the reference: the
same categories, the same age bands and the same flows (entering care, moving between categories, ageing,
leaving), estimated from a reference window of 903 episodes. Where this one differs it is to follow the
children more closely:

- a child's age is followed month by month (the reference moves whole age bands at an average rate), so a
  child of 17 leaves care at 18 when they turn 18, not at the average rate of everyone over 16;
- rates are events over the child-days at risk in the window, each day counted in the band the child was
  in that day (the reference keeps an episode in the band it started in, and averages daily ratios);
- the interval comes from how many entries and exits the rates rest on, plus the chance variation of a
  stock of children.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

FOSTERING, RESIDENTIAL, SUPPORTED, OTHER = "fostering", "residential", "supported", "other"
CATEGORIES = (FOSTERING, RESIDENTIAL, SUPPORTED, OTHER)
CATEGORY_LABELS = {FOSTERING: "Fostering", RESIDENTIAL: "Residential", SUPPORTED: "Supported", OTHER: "Other"}

# PLACE codes by category, as the field's model groups them. K3 (supported accommodation registered with
# Ofsted) replaced H5 and P2 from 2024-25, so it is supported too.
PLACE_CATEGORY = {
    **{code: FOSTERING for code in ("U1", "U2", "U3", "U4", "U5", "U6")},
    **{code: RESIDENTIAL for code in ("K2", "R1")},
    **{code: SUPPORTED for code in ("H5", "P2", "K3")},
}

# (key, label, first month of age, first month of the next band)
LEAVING_AGE_MONTHS = 18 * 12
AGE_BANDS = (
    ("0_1", "Birth to 1", 0, 12),
    ("1_5", "1 to 5", 12, 60),
    ("5_10", "5 to 10", 60, 120),
    ("10_16", "10 to 16", 120, 192),
    ("16_plus", "16 and over", 192, LEAVING_AGE_MONTHS),
)
BAND_KEYS = tuple(band[0] for band in AGE_BANDS)
BAND_LABELS = {band[0]: band[1] for band in AGE_BANDS}
DAYS_IN_MONTH = 365.25 / 12
Z_95 = 1.96
# A trend in entries over the reference window is carried on for this many years after it, then held.
TREND_YEARS = 2.0


def place_category(place: str) -> str:
    return PLACE_CATEGORY.get(place, OTHER)


def band_for_months(age_months: int) -> str:
    for key, _label, start, end in AGE_BANDS:
        if start <= age_months < end:
            return key
    return AGE_BANDS[-1][0]


# The band each month of age falls in, looked up once rather than searched in the projection's inner loop.
_BAND_AT = [band_for_months(age) for age in range(LEAVING_AGE_MONTHS)]


def age_in_months(birth: date, day: date) -> int:
    """Whole months of age on the day. Never below 0: only the month of birth is kept, so a baby who came into
    care in their first days can seem to start before the middle of the month they were born in."""
    return max(0, (day.year - birth.year) * 12 + day.month - birth.month - (1 if day.day < birth.day else 0))


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, _days_in(year, month)))


def _days_in(year: int, month: int) -> int:
    following = date(year + (month == 12), month % 12 + 1, 1)
    return (following - timedelta(days=1)).day


def month_end(day: date) -> date:
    return date(day.year, day.month, _days_in(day.year, day.month))


def month_ends_after(day: date, months: int) -> list[date]:
    """The `months` month ends after `day` (the first is this month's end when `day` is not one)."""
    first = month_end(day) if month_end(day) > day else month_end(add_months(date(day.year, day.month, 1), 1))
    return [month_end(add_months(date(first.year, first.month, 1), i)) for i in range(months)]


@dataclass(frozen=True)
class Spell:
    """One episode of care in one placement: the 903's CHILD, DECOM, DEC and PLACE with the child's birth day
    (the middle of the birth month: only month and year are kept)."""

    child: str
    birth: date
    start: date
    end: date | None
    place: str

    @property
    def category(self) -> str:
        return place_category(self.place)


def clean_spells(spells: Iterable[Spell]) -> dict[str, list[Spell]]:
    """Each child's episodes in order, as the field's model tidies them: one episode per start day (the one
    that ends last), and an episode that runs past the next one's start cut back to it."""
    by_child: dict[str, dict[date, Spell]] = defaultdict(dict)
    for spell in spells:
        kept = by_child[spell.child].get(spell.start)
        if kept is None or (kept.end is not None and (spell.end is None or spell.end > kept.end)):
            by_child[spell.child][spell.start] = spell
    cleaned = {}
    for child, starts in by_child.items():
        ordered = [starts[day] for day in sorted(starts)]
        out = []
        for i, spell in enumerate(ordered):
            following = ordered[i + 1].start if i + 1 < len(ordered) else None
            if following is not None and (spell.end is None or spell.end > following):
                spell = Spell(spell.child, spell.birth, spell.start, following, spell.place)
            if spell.end is not None and spell.end <= spell.start:
                continue
            out.append(spell)
        cleaned[child] = out
    return cleaned


@dataclass
class Rates:
    """What the reference window shows, per month: entries by band and category (and the ages entering within
    each band), and the hazards of leaving and of moving category by band and category."""

    window_start: date
    window_end: date
    entries: dict[tuple[str, str], float] = field(default_factory=dict)
    entry_ages: dict[tuple[str, str], dict[int, float]] = field(default_factory=dict)
    leaving: dict[tuple[str, str], float] = field(default_factory=dict)
    moves: dict[tuple[str, str, str], float] = field(default_factory=dict)
    entry_count: int = 0
    leaving_count: int = 0
    move_count: int = 0
    exposure_days: dict[tuple[str, str], float] = field(default_factory=dict)
    # Yearly growth in entries over the window (log scale), shrunk towards none by its uncertainty.
    entry_trend: float = 0.0

    def entry_factor_after(self, years_after: float) -> float:
        """Entries `years_after` the window's end against the window's average, the trend carried on for up to
        TREND_YEARS and then held."""
        b = self.entry_trend
        if not b:
            return 1.0
        span = ((self.window_end - self.window_start).days + 1) / 365.25
        average = (math.exp(b * span) - 1) / (b * span)  # the window's mean of exp(b t) over 0..span
        return math.exp(b * (span + min(years_after, TREND_YEARS))) / average


def _band_days(birth: date, start: date, end: date) -> list[tuple[str, int]]:
    """Days from `start` (inclusive) to `end` (exclusive) in each age band, up to the leaving age."""
    out = []
    day = start
    while day < end:
        age = age_in_months(birth, day)
        if age >= LEAVING_AGE_MONTHS:
            break
        band = _BAND_AT[max(age, 0)]
        band_end_months = next(b[3] for b in AGE_BANDS if b[0] == band)
        boundary = add_months(birth, band_end_months)
        stop = min(end, boundary) if boundary > day else end
        out.append((band, (stop - day).days))
        day = stop
    return out


def estimate_rates(children: Mapping[str, list[Spell]], *, start: date, end: date) -> Rates:
    """Rates from the window `start` to `end` (both days included)."""
    rates = Rates(window_start=start, window_end=end)
    window_days = (end - start).days + 1
    stop = end + timedelta(days=1)
    exposure: dict[tuple[str, str], float] = defaultdict(float)
    entries: dict[tuple[str, str], int] = defaultdict(int)
    entry_ages: dict[tuple[str, str], dict[int, float]] = defaultdict(lambda: defaultdict(float))
    leaving: dict[tuple[str, str], int] = defaultdict(int)
    moves: dict[tuple[str, str, str], int] = defaultdict(int)
    entry_times: list[float] = []
    for spells in children.values():
        for i, spell in enumerate(spells):
            category = spell.category
            previous = spells[i - 1] if i else None
            following = spells[i + 1] if i + 1 < len(spells) else None
            lo, hi = max(spell.start, start), min(spell.end or stop, stop)
            if lo < hi:
                for band, days in _band_days(spell.birth, lo, hi):
                    exposure[band, category] += days
            if start <= spell.start <= end and (previous is None or previous.end != spell.start):
                age = age_in_months(spell.birth, spell.start)
                if 0 <= age < LEAVING_AGE_MONTHS:
                    entries[_BAND_AT[age], category] += 1
                    entry_ages[_BAND_AT[age], category][age] += 1
                    entry_times.append(((spell.start - start).days + 0.5) / 365.25)
            if spell.end is not None and start < spell.end <= stop:
                age = age_in_months(spell.birth, spell.end - timedelta(days=1))
                if not 0 <= age < LEAVING_AGE_MONTHS:
                    continue
                band = _BAND_AT[age]
                if following is not None and following.start == spell.end:
                    if following.category != category:
                        moves[band, category, following.category] += 1
                elif age_in_months(spell.birth, spell.end) < LEAVING_AGE_MONTHS:
                    # Leaving on reaching 18 is not a rate: the projection takes every child out at 18.
                    leaving[band, category] += 1
    per_month = DAYS_IN_MONTH
    rates.exposure_days = dict(exposure)
    rates.entries = {key: count / window_days * per_month for key, count in entries.items()}
    rates.entry_ages = {key: dict(ages) for key, ages in entry_ages.items()}
    rates.leaving = {key: count / exposure[key] * per_month for key, count in leaving.items() if exposure[key]}
    rates.moves = {
        key: count / exposure[key[:2]] * per_month for key, count in moves.items() if exposure[key[:2]]
    }
    rates.entry_count = sum(entries.values())
    rates.leaving_count = sum(leaving.values())
    rates.move_count = sum(moves.values())
    rates.entry_trend = entry_trend(entry_times, span=window_days / 365.25)
    return rates


def entry_trend(times: list[float], *, span: float) -> float:
    """The yearly growth b of entries arriving at a rate a.exp(b t) over 0..span years (Poisson maximum
    likelihood), shrunk towards 0 by its standard error (b (1 - se^2 / b^2), none when it is within its own
    error): a council whose entries rose steadily is forecast to see them rise a little further."""
    n = len(times)
    if n < 20 or span <= 0:
        return 0.0
    mean_time = sum(times) / n

    def expected_mean(b: float) -> float:  # mean arrival time under rate exp(b t) on 0..span
        if abs(b * span) < 1e-6:
            return span / 2
        return span / (1 - math.exp(-b * span)) - 1 / b

    lo, hi = -3.0, 3.0
    for _ in range(60):  # expected_mean rises with b: bisect for the b whose mean is the one seen
        mid = (lo + hi) / 2
        if expected_mean(mid) < mean_time:
            lo = mid
        else:
            hi = mid
    b = (lo + hi) / 2
    variance = sum((t - mean_time) ** 2 for t in times) / n
    if not variance:
        return 0.0
    se_squared = 1 / (n * variance)
    return b * max(0.0, 1 - se_squared / (b * b)) if b else 0.0


def stock_on(children: Mapping[str, list[Spell]], day: date) -> dict[tuple[int, str], float]:
    """Children looked after on the day by month of age and category (the end day is the day it ended)."""
    stock: dict[tuple[int, str], float] = defaultdict(float)
    for spells in children.values():
        for spell in spells:
            if spell.start <= day and (spell.end is None or spell.end > day):
                age = age_in_months(spell.birth, day)
                if 0 <= age < LEAVING_AGE_MONTHS:
                    stock[age, spell.category] += 1
                break
    return stock


def category_totals_on(children: Mapping[str, list[Spell]], day: date) -> dict[str, float]:
    totals = dict.fromkeys(CATEGORIES, 0.0)
    for (_age, category), count in stock_on(children, day).items():
        totals[category] += count
    return totals


@dataclass(frozen=True)
class Adjustment:
    """A scenario's change to the baseline.

    `entry_factors` scale entries by (band or "", category or ""): ("10_16", "") 0.9 cuts entries at 10-16 by
    a tenth. `shift_share` of residential moves to fostering, reached evenly over `shift_months`.
    `extra_fostering` children placed with new in-house foster carers instead of residential, added evenly
    over `extra_fostering_months`."""

    entry_factors: Mapping[tuple[str, str], float] = field(default_factory=dict)
    shift_share: float = 0.0
    shift_months: int = 12
    extra_fostering: float = 0.0
    extra_fostering_months: int = 12

    def entry_factor(self, band: str, category: str) -> float:
        factor = 1.0
        for (b, c), value in self.entry_factors.items():
            if b in ("", band) and c in ("", category):
                factor *= value
        return factor


BASELINE = Adjustment()


@dataclass
class MonthForecast:
    date: date
    by_category: dict[str, float]
    total: float
    total_low: float
    total_high: float
    by_band: dict[str, float] = field(default_factory=dict)

    def as_json(self) -> dict:
        row = {"date": self.date.isoformat()}
        row.update({category: self.by_category[category] for category in CATEGORIES})
        row.update(total=self.total, total_low=self.total_low, total_high=self.total_high)
        return row


def _entry_spread(rates: Rates) -> dict[tuple[str, str], list[tuple[int, float]]]:
    """Where in its band each band's entries fall, by the ages seen entering (evenly where none were)."""
    spread = {}
    for key in rates.entries:
        ages = rates.entry_ages.get(key) or {}
        total = sum(ages.values())
        if total:
            spread[key] = [(age, count / total) for age, count in sorted(ages.items())]
        else:
            _k, _l, lo, hi = next(b for b in AGE_BANDS if b[0] == key[0])
            spread[key] = [(age, 1 / (hi - lo)) for age in range(lo, hi)]
    return spread


def _project(stock: Mapping[tuple[int, str], float], rates: Rates, dates: list[date], start: date, *,
             adjustment: Adjustment, entry_scale: float = 1.0, leaving_scale: float = 1.0):
    """Step the stock from `start` to each date in turn. Returns [(by category, by band, total, flow)] where
    flow is the entries and leavings so far (for the interval)."""
    n_cat = len(CATEGORIES)
    cat_index = {c: i for i, c in enumerate(CATEGORIES)}
    size = LEAVING_AGE_MONTHS * n_cat
    current = [0.0] * size
    for (age, category), count in stock.items():
        current[age * n_cat + cat_index[category]] += count
    # Monthly hazards by (band, category): leaving and to each other category.
    hazards = {}
    for band in BAND_KEYS:
        for category in CATEGORIES:
            leave = rates.leaving.get((band, category), 0.0) * leaving_scale
            to = [rates.moves.get((band, category, other), 0.0) for other in CATEGORIES]
            hazards[band, category] = (leave, to)
    spread = _entry_spread(rates)
    results = []
    flow = 0.0
    previous, elapsed = start, 0
    for day in dates:
        step = (day - previous).days / DAYS_IN_MONTH
        previous_day, previous = previous, day
        elapsed += 1
        following = [0.0] * size
        for age in range(LEAVING_AGE_MONTHS):
            band = _BAND_AT[age]
            base = age * n_cat
            for ci, category in enumerate(CATEGORIES):
                count = current[base + ci]
                if not count:
                    continue
                leave, to = hazards[band, category]
                total_hazard = leave + sum(h for j, h in enumerate(to) if j != ci)
                if total_hazard:
                    moving = count * (1 - math.exp(-total_hazard * step))
                    share = moving / total_hazard
                    flow += share * leave
                    following[base + ci] += count - moving
                    for cj, h in enumerate(to):
                        if h and cj != ci:
                            following[base + cj] += share * h
                else:
                    following[base + ci] += count
        # Ageing: a step's share of each month of age moves up one month; those reaching 18 leave care.
        # Every child is a month older at each month end; a part month ages its share of them.
        ageing = 1.0 if (day - previous_day).days >= 28 else step
        aged = [0.0] * size
        for age in range(LEAVING_AGE_MONTHS):
            base = age * n_cat
            for ci in range(n_cat):
                count = following[base + ci]
                if not count:
                    continue
                up = count * ageing
                aged[base + ci] += count - up
                if age + 1 < LEAVING_AGE_MONTHS:
                    aged[base + n_cat + ci] += up
                else:
                    flow += up
        trend = rates.entry_factor_after(((day - start).days - (day - previous_day).days / 2) / 365.25)
        for (band, category), per_month in rates.entries.items():
            count = per_month * step * entry_scale * trend * adjustment.entry_factor(band, category)
            flow += count
            ci = cat_index[category]
            for age, share in spread[band, category]:
                aged[age * n_cat + ci] += count * share
        current = aged
        by_category = {c: 0.0 for c in CATEGORIES}
        by_band = {b: 0.0 for b in BAND_KEYS}
        for age in range(LEAVING_AGE_MONTHS):
            base = age * n_cat
            for ci, category in enumerate(CATEGORIES):
                by_category[category] += current[base + ci]
                by_band[_BAND_AT[age]] += current[base + ci]
        _shift(by_category, adjustment, elapsed)
        results.append((by_category, by_band, sum(by_category.values()), flow))
    return results


def _shift(by_category: dict[str, float], adjustment: Adjustment, elapsed: int) -> None:
    """A scenario's homes found in fostering instead of residential: its share of residential need, reached
    evenly over its months, and the children its extra in-house foster carers take (never more than there are
    in residential). The children stay in care: only where they live changes."""
    if not (adjustment.shift_share or adjustment.extra_fostering):
        return
    residential = by_category[RESIDENTIAL]
    moved = residential * adjustment.shift_share * min(elapsed / max(adjustment.shift_months, 1), 1.0)
    moved += adjustment.extra_fostering * min(elapsed / max(adjustment.extra_fostering_months, 1), 1.0)
    moved = min(moved, residential)
    by_category[RESIDENTIAL] -= moved
    by_category[FOSTERING] += moved


def forecast(children: Mapping[str, list[Spell]], *, reference_start: date, reference_end: date, months: int,
             adjustment: Adjustment = BASELINE, rates: Rates | None = None) -> list[MonthForecast]:
    """Children looked after at each month end after the reference window, by category, with a 95% interval."""
    rates = rates or estimate_rates(children, start=reference_start, end=reference_end)
    stock = stock_on(children, reference_end)
    dates = month_ends_after(reference_end, months)
    central = _project(stock, rates, dates, reference_end, adjustment=adjustment)
    # The interval: the rates rest on so many events (a Poisson count's relative error is 1/sqrt(n)), and a
    # stock of children that comes and goes varies by about the square root of the flow through it.
    entry_error = Z_95 / math.sqrt(rates.entry_count) if rates.entry_count else 0.0
    leaving_error = Z_95 / math.sqrt(rates.leaving_count) if rates.leaving_count else 0.0
    low = _project(stock, rates, dates, reference_end, adjustment=adjustment,
                   entry_scale=max(1 - entry_error, 0.0), leaving_scale=1 + leaving_error)
    high = _project(stock, rates, dates, reference_end, adjustment=adjustment,
                    entry_scale=1 + entry_error, leaving_scale=max(1 - leaving_error, 0.0))
    out = []
    for day, (by_category, by_band, total, flow), lo, hi in zip(dates, central, low, high, strict=True):
        noise = Z_95 * math.sqrt(min(flow, total))
        out.append(MonthForecast(
            date=day, by_category=by_category, by_band=by_band, total=total,
            total_low=max(lo[2] - noise, 0.0), total_high=hi[2] + noise,
        ))
    return out


@dataclass(frozen=True)
class Backtest:
    """The same method from an earlier window, against what happened since."""

    reference_start: date
    reference_end: date
    months: list[dict]
    mean_absolute_percentage_error: float
    within_interval: float


def backtest(children: Mapping[str, list[Spell]], *, reference_start: date, reference_end: date,
             months: int) -> Backtest:
    """Forecast from the window and compare each month end's total and categories with the children actually
    looked after then. The error is the mean absolute percentage error of the total."""
    predicted = forecast(children, reference_start=reference_start, reference_end=reference_end, months=months)
    rows, errors, inside = [], [], 0
    for month in predicted:
        actual = category_totals_on(children, month.date)
        actual_total = sum(actual.values())
        if actual_total:
            errors.append(abs(month.total - actual_total) / actual_total)
        inside += month.total_low <= actual_total <= month.total_high
        rows.append({"date": month.date.isoformat(), "forecast": month.total, "actual": actual_total,
                     "low": month.total_low, "high": month.total_high,
                     "by_category": {c: [month.by_category[c], actual[c]] for c in CATEGORIES}})
    return Backtest(
        reference_start=reference_start, reference_end=reference_end, months=rows,
        mean_absolute_percentage_error=sum(errors) / len(errors) if errors else 0.0,
        within_interval=inside / len(predicted) if predicted else 0.0,
    )


def mape(predicted: list[float], actual: list[float]) -> float:
    pairs = [(p, a) for p, a in zip(predicted, actual, strict=True) if a]
    return sum(abs(p - a) / a for p, a in pairs) / len(pairs) if pairs else 0.0
