"""Nothing a user types into an address bar produces a server error: every page an administrator
can open is requested with nonsense in every query parameter the product's filters use."""

import pytest
from django.urls import reverse

from core.roles import ADMINISTRATOR
from tests.test_permission_matrix import _declared_cases

NONSENSE = {
    "page": ["abc", "-1", "999999"],
    "sort": ["no_such_column", "-"],
    "status": ["purple"],
    "as_of": ["32/13/2020", "yesterday", "01/01/0001", "0001-01-01", "31/12/9999"],
    "period": ["2025-Q9", "Q"],
    "ends_within": ["-3", "many"],
    "min_cost": ["£lots"],
    "max_cost": ["1e999"],
    "theme": ["x"],
    "provider": ["0"],
    "manager": ["me", "-5"],
    "alert": ["everything"],
    "export": ["pdf", "csv'"],
    "q": ["' OR 1=1 --", "\x00"],
    "year_ending": ["2025-02-30", "0001-03-31"],
    "run": ["abc"],
}


@pytest.mark.django_db
def test_no_page_gives_a_server_error_for_nonsense_query_parameters(client, users):
    client.raise_request_exception = False
    client.force_login(users[ADMINISTRATOR])
    failures = []
    for name, (kwargs, expected) in sorted(_declared_cases().items()):
        if expected[ADMINISTRATOR] != 200:
            continue
        url = reverse(name, kwargs=kwargs or None)
        # All at once, then each alone (a page may stop at the first bad value it meets).
        attempts = [{key: values[0] for key, values in NONSENSE.items()}]
        attempts += [{key: value} for key, values in NONSENSE.items() for value in values]
        for params in attempts:
            status = client.get(url, params).status_code
            if status >= 500:
                failures.append(f"{name} {url}?{params}: HTTP {status}")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["placements:index", "placements:ipa_queue"])  # the pages with the as-of box
@pytest.mark.parametrize(
    ("as_of", "message"),
    [
        ("01/01/0001", "Figures as of must be between 01/01/1900 and 31/12/2100"),
        ("31/12/9999", "Figures as of must be between 01/01/1900 and 31/12/2100"),
        ("yesterday", "Enter figures as of as a date, like 31/03/2025"),
    ],
)
def test_a_date_out_of_range_on_the_placements_pages_is_explained_and_today_shown(
    placements_client, name, as_of, message
):
    response = placements_client.get(reverse(name), {"as_of": as_of})
    assert response.status_code == 200
    assert message in response.content.decode()


@pytest.mark.parametrize(
    ("text", "expected"),
    [("31/03/2025", "2025-03-31"), ("2025-03-31", "2025-03-31"), ("2025-03-31 00:00:00", "2025-03-31"),
     ("1/4/1900", "1900-04-01"), ("31/12/2100", "2100-12-31")],
)
def test_one_date_parser_reads_both_forms(text, expected):
    from core.periods import parse_date_text

    assert parse_date_text(text).isoformat() == expected


@pytest.mark.parametrize(
    ("text", "problem"),
    [("01/01/0001", "outside the years 1900 to 2100"), ("31/12/1899", "outside the years"),
     ("01/01/2101", "outside the years"), ("31/02/2025", "is not a date"), ("soon", "is not a date"),
     ("\x00", "is not a date")],
)
def test_one_date_parser_refuses_nonsense_and_dates_out_of_range(text, problem):
    from datetime import date

    from core.periods import DateTextError, parse_as_of, parse_date_text

    with pytest.raises(DateTextError, match=problem):
        parse_date_text(text)
    assert parse_as_of(text, default=date(2026, 1, 5)) == date(2026, 1, 5)
