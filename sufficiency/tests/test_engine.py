"""The forecast's arithmetic on small hand-made histories, where the right answer can be worked out."""

import math
from datetime import date

import pytest

from sufficiency import engine
from sufficiency.engine import Spell


def _children(*spells):
    return engine.clean_spells(spells)


@pytest.mark.parametrize(("place", "category"), [
    ("U1", "fostering"), ("U6", "fostering"), ("K2", "residential"), ("R1", "residential"),
    ("H5", "supported"), ("P2", "supported"), ("K3", "supported"), ("P1", "other"), ("K1", "other"), ("Z1", "other"),
])
def test_place_codes_fall_in_the_fields_categories(place, category):
    assert engine.place_category(place) == category


@pytest.mark.parametrize(("months", "band"), [(0, "0_1"), (11, "0_1"), (12, "1_5"), (59, "1_5"), (60, "5_10"),
                                               (119, "5_10"), (120, "10_16"), (191, "10_16"), (192, "16_plus"),
                                               (215, "16_plus")])
def test_age_bands(months, band):
    assert engine.band_for_months(months) == band


def test_month_ends_after_a_month_end_and_mid_month():
    assert engine.month_ends_after(date(2024, 3, 31), 3) == [date(2024, 4, 30), date(2024, 5, 31), date(2024, 6, 30)]
    assert engine.month_ends_after(date(2024, 2, 10), 2) == [date(2024, 2, 29), date(2024, 3, 31)]


def test_overlapping_and_duplicate_episodes_are_tidied_as_the_fields_model_does():
    birth = date(2010, 1, 15)
    children = _children(
        Spell("A", birth, date(2020, 1, 1), date(2020, 6, 1), "U6"),
        Spell("A", birth, date(2020, 1, 1), None, "U6"),  # same start, open: kept
        Spell("A", birth, date(2020, 3, 1), None, "K2"),  # cuts the first back to 1 March
    )
    assert [(s.start, s.end, s.place) for s in children["A"]] == [
        (date(2020, 1, 1), date(2020, 3, 1), "U6"), (date(2020, 3, 1), None, "K2")]


def test_rates_count_entries_moves_and_leaving_over_the_days_at_risk():
    birth = date(2008, 1, 15)  # 12 in 2020: band 10-16 throughout
    children = _children(
        Spell("A", birth, date(2020, 1, 1), date(2020, 7, 1), "U6"),
        Spell("A", birth, date(2020, 7, 1), None, "K2"),  # a move fostering -> residential
        Spell("B", birth, date(2020, 1, 1), date(2020, 4, 1), "U6"),  # leaves
        Spell("C", birth, date(2019, 1, 1), None, "U6"),  # in care before the window: not an entry
    )
    rates = engine.estimate_rates(children, start=date(2020, 1, 1), end=date(2020, 12, 31))
    assert rates.entry_count == 2 and rates.leaving_count == 1 and rates.move_count == 1
    assert rates.entries[("10_16", "fostering")] == pytest.approx(2 / 366 * engine.DAYS_IN_MONTH)
    fostering_days = 182 + 91 + 366  # A to 1 July, B to 1 April, C all year
    assert rates.exposure_days[("10_16", "fostering")] == fostering_days
    assert rates.leaving[("10_16", "fostering")] == pytest.approx(1 / fostering_days * engine.DAYS_IN_MONTH)
    assert rates.moves[("10_16", "fostering", "residential")] == pytest.approx(
        1 / fostering_days * engine.DAYS_IN_MONTH)


def test_a_child_of_17_leaves_care_on_turning_18_and_is_not_counted_as_leaving_early():
    birth = date(2002, 6, 15)
    children = _children(Spell("A", birth, date(2019, 1, 1), date(2020, 6, 15), "H5"))
    rates = engine.estimate_rates(children, start=date(2019, 1, 1), end=date(2020, 12, 31))
    assert rates.leaving_count == 0
    months = engine.forecast(children, reference_start=date(2019, 1, 1), reference_end=date(2019, 12, 31),
                             months=12, rates=engine.Rates(date(2019, 1, 1), date(2019, 12, 31)))
    by_month = {m.date: m.total for m in months}
    assert by_month[date(2020, 4, 30)] == pytest.approx(1.0)  # 17 and 10 months
    assert by_month[date(2020, 7, 31)] == pytest.approx(0.0)  # 18 by then


def test_with_no_flows_the_stock_only_ages():
    birth = date(2015, 1, 15)
    children = _children(Spell("A", birth, date(2016, 1, 1), None, "U4"),
                         Spell("B", birth, date(2016, 1, 1), None, "K2"))
    months = engine.forecast(children, reference_start=date(2019, 1, 1), reference_end=date(2019, 12, 31),
                             months=24)
    assert months[-1].by_category == {"fostering": 1.0, "residential": 1.0, "supported": 0.0, "other": 0.0}
    assert months[-1].total == 2.0
    assert months[-1].total_low == months[-1].total_high == 2.0  # nothing to be uncertain about


def test_steady_entries_and_leaving_settle_where_inflow_matches_outflow():
    # 10 a month enter fostering at 12 and a tenth of those in care leave each month: about 100 in care.
    children = engine.Rates(date(2020, 1, 1), date(2020, 12, 31),
                            entries={("10_16", "fostering"): 10.0}, entry_ages={("10_16", "fostering"): {150: 1}},
                            leaving={("10_16", "fostering"): 0.1053605}, entry_count=120, leaving_count=120)
    months = engine.forecast({}, reference_start=date(2020, 1, 1), reference_end=date(2020, 12, 31), months=60,
                             rates=children)
    assert months[-1].total == pytest.approx(100 - 10 * (1 - 0.9 ** 0) / 1 * 0 + 0, rel=0.1)
    assert months[-1].total_low < months[-1].total < months[-1].total_high


def test_a_scenario_cutting_entries_at_10_to_16_by_a_tenth_cuts_the_children_in_care():
    spells = _history()
    children = engine.clean_spells(spells)
    window = {"reference_start": date(2018, 4, 1), "reference_end": date(2020, 3, 31), "months": 36}
    base = engine.forecast(children, **window)
    cut = engine.forecast(children, adjustment=engine.Adjustment(entry_factors={("10_16", ""): 0.9}), **window)
    assert cut[-1].by_band["10_16"] < base[-1].by_band["10_16"]
    assert cut[-1].by_band["0_1"] == pytest.approx(base[-1].by_band["0_1"])


def test_a_scenario_moving_residential_to_fostering_keeps_the_children_in_care():
    children = engine.clean_spells(_history())
    window = {"reference_start": date(2018, 4, 1), "reference_end": date(2020, 3, 31), "months": 24}
    base = engine.forecast(children, **window)
    shifted = engine.forecast(children, adjustment=engine.Adjustment(shift_share=0.2, shift_months=12), **window)
    assert shifted[-1].total == pytest.approx(base[-1].total)
    assert shifted[5].by_category["residential"] == pytest.approx(base[5].by_category["residential"] * 0.9)
    assert shifted[-1].by_category["residential"] == pytest.approx(base[-1].by_category["residential"] * 0.8)
    assert shifted[-1].by_category["fostering"] > base[-1].by_category["fostering"]


def _history():
    from sufficiency import synthetic

    return synthetic.history(start=date(2014, 4, 1), years=6, entries_a_year=150, end=date(2020, 3, 31))


def test_backtest_on_a_steady_history_is_within_a_few_percent():
    from sufficiency import synthetic

    spells = synthetic.history(start=date(2012, 4, 1), years=10, entries_a_year=150, end=date(2022, 3, 31))
    result = engine.backtest(engine.clean_spells(spells), reference_start=date(2018, 4, 1),
                             reference_end=date(2020, 3, 31), months=24)
    assert len(result.months) == 24
    assert result.mean_absolute_percentage_error < 0.05
    assert result.within_interval >= 0.9


def test_extra_in_house_foster_carers_take_children_from_residential_as_they_are_approved():
    children = engine.clean_spells(_history())
    window = {"reference_start": date(2018, 4, 1), "reference_end": date(2020, 3, 31), "months": 24}
    base = engine.forecast(children, **window)
    carers = engine.forecast(children, adjustment=engine.Adjustment(extra_fostering=6, extra_fostering_months=12),
                             **window)
    assert carers[5].by_category["fostering"] == pytest.approx(base[5].by_category["fostering"] + 3)
    assert carers[-1].by_category["residential"] == pytest.approx(base[-1].by_category["residential"] - 6)


def test_a_steady_rise_in_entries_is_carried_on_and_a_flat_one_is_not():
    import random

    rng = random.Random(3)
    # Entries rising from about 100 to about 300 a year over two years: a clear trend.
    rising = [t for t in (rng.uniform(0, 2) for _ in range(4000)) if rng.random() < (1 + t) / 3][:400]
    assert engine.entry_trend(rising, span=2.0) > 0.3
    flat = [rng.uniform(0, 2) for _ in range(400)]
    assert engine.entry_trend(flat, span=2.0) == pytest.approx(0.0, abs=0.05)
    assert engine.entry_trend(flat[:10], span=2.0) == 0.0  # too few to say


def test_a_trend_in_entries_runs_for_two_years_after_the_window_then_holds():
    rates = engine.Rates(date(2023, 4, 1), date(2025, 3, 31), entry_trend=0.1)
    assert rates.entry_factor_after(0.0) > 1.0  # the window's end is above the window's average
    assert rates.entry_factor_after(1.0) == pytest.approx(rates.entry_factor_after(0.0) * math.exp(0.1))
    assert rates.entry_factor_after(5.0) == pytest.approx(rates.entry_factor_after(2.0))


def test_a_baby_placed_in_the_first_days_of_their_birth_month_counts_as_entering_at_birth():
    birth = date(2024, 3, 15)  # born early in March 2024: only the month is kept
    children = _children(Spell("A", birth, date(2024, 3, 4), None, "U6"))
    rates = engine.estimate_rates(children, start=date(2024, 1, 1), end=date(2024, 12, 31))
    assert rates.entry_count == 1 and rates.entry_ages[("0_1", "fostering")] == {0: 1}
    assert engine.category_totals_on(children, date(2024, 3, 10))["fostering"] == 1
