from datetime import date

import pytest

from core.working_days import bank_holidays, easter_sunday, is_working_day, next_working_day

# gov.uk/bank-holidays (England and Wales), as published.
PUBLISHED = {
    2020: ["2020-01-01", "2020-04-10", "2020-04-13", "2020-05-08", "2020-05-25", "2020-08-31", "2020-12-25",
           "2020-12-28"],
    2021: ["2021-01-01", "2021-04-02", "2021-04-05", "2021-05-03", "2021-05-31", "2021-08-30", "2021-12-27",
           "2021-12-28"],
    2022: ["2022-01-03", "2022-04-15", "2022-04-18", "2022-05-02", "2022-06-02", "2022-06-03", "2022-08-29",
           "2022-09-19", "2022-12-26", "2022-12-27"],
    2023: ["2023-01-02", "2023-04-07", "2023-04-10", "2023-05-01", "2023-05-08", "2023-05-29", "2023-08-28",
           "2023-12-25", "2023-12-26"],
    2024: ["2024-01-01", "2024-03-29", "2024-04-01", "2024-05-06", "2024-05-27", "2024-08-26", "2024-12-25",
           "2024-12-26"],
    2025: ["2025-01-01", "2025-04-18", "2025-04-21", "2025-05-05", "2025-05-26", "2025-08-25", "2025-12-25",
           "2025-12-26"],
    2026: ["2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25", "2026-08-31", "2026-12-25",
           "2026-12-28"],
    2027: ["2027-01-01", "2027-03-26", "2027-03-29", "2027-05-03", "2027-05-31", "2027-08-30", "2027-12-27",
           "2027-12-28"],
}


@pytest.mark.parametrize("year", sorted(PUBLISHED))
def test_bank_holidays_are_the_published_ones(year):
    assert sorted(bank_holidays(year)) == [date.fromisoformat(d) for d in PUBLISHED[year]]


def test_easter_falls_on_known_sundays():
    assert [easter_sunday(y) for y in (2019, 2024, 2038)] == [date(2019, 4, 21), date(2024, 3, 31),
                                                               date(2038, 4, 25)]


@pytest.mark.parametrize("day, expected", [
    ("2026-12-24", "2026-12-24"),  # Thursday: a working day
    ("2026-12-25", "2026-12-29"),  # Christmas, a Saturday, a Sunday and Boxing Day's substitute Monday
    ("2027-01-01", "2027-01-04"),
    ("2026-04-03", "2026-04-07"),  # Good Friday to the Tuesday after Easter Monday
])
def test_next_working_day_steps_over_weekends_and_bank_holidays(day, expected):
    assert next_working_day(date.fromisoformat(day)) == date.fromisoformat(expected)
    assert is_working_day(date.fromisoformat(expected))
