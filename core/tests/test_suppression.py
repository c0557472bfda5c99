from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.suppression import (
    FOOTNOTE,
    MARKER,
    Cell,
    is_small,
    suppress_count,
    suppress_percentage,
    suppress_row,
)


@pytest.mark.parametrize(
    ("count", "shown"),
    [(0, "0"), (1, "[c]"), (3, "[c]"), (5, "[c]"), (6, "6"), (1250, "1,250"), (None, "–")],
)
def test_single_counts(count, shown):
    assert suppress_count(count).display == shown
    assert str(suppress_count(count)) == shown


def test_footnote_names_the_marker():
    assert FOOTNOTE.startswith(MARKER)
    assert is_small(1) and is_small(5) and not is_small(0) and not is_small(6)


@pytest.mark.parametrize(
    ("counts", "cells", "total"),
    [
        # nothing small: everything shown
        ([10, 20, 30], ["10", "20", "30"], "60"),
        # one small: the next smallest is hidden too, total stays
        ([3, 20, 8, 30], ["[c]", "20", "[c]", "30"], "61"),
        # two small already: nothing more to do
        ([3, 4, 30], ["[c]", "[c]", "30"], "37"),
        # zeros are shown and are not chosen while a non-zero cell is left
        ([2, 0, 9, 40], ["[c]", "0", "[c]", "40"], "51"),
        # only zeros beside the small cell: the total is small too, so nothing can be worked back
        ([2, 0], ["[c]", "0"], "[c]"),
        # one category alone that is small: the total (equal to it) is small too
        ([4], ["[c]"], "[c]"),
        # a single category of 7 with one small one: both hidden, the total is safe
        ([7, 1], ["[c]", "[c]"], "8"),
        # ties: the first of equal cells is chosen (stable output)
        ([1, 9, 9], ["[c]", "[c]", "9"], "19"),
    ],
)
def test_row_with_total(counts, cells, total):
    row = suppress_row(counts)
    assert [c.display for c in row.cells] == cells
    assert row.total.display == total


def test_row_without_total_needs_no_secondary():
    row = suppress_row([3, 20, 8], with_total=False)
    assert [c.display for c in row.cells] == ["[c]", "20", "8"]
    assert row.total is None


def test_shares_hide_the_percentage_of_a_hidden_count():
    row = suppress_row([3, 20, 8, 30])
    shares = [c.display for c in row.shares()]
    assert shares == ["[c]", "32.8%", "[c]", "49.2%"]


@pytest.mark.parametrize(
    ("num", "den", "shown"),
    [(3, 40, "[c]"), (12, 40, "30.0%"), (0, 40, "0.0%"), (6, 4, "[c]"), (7, 0, "–"), (None, 9, "–")],
)
def test_percentage(num, den, shown):
    assert suppress_percentage(num, den).display == shown


def test_percentage_of_suppressed_total_is_hidden():
    hidden_total = Cell(50, True, "secondary")
    assert suppress_percentage(20, hidden_total).display == "[c]"
    assert suppress_percentage(20, 50).display == "40.0%"


def test_decimal_values_render():
    assert Cell(Decimal("12.345"), places=1, suffix="%").display == "12.3%"


counts = st.one_of(st.integers(min_value=0, max_value=60), st.integers(min_value=0, max_value=5))


@given(st.lists(counts, min_size=1, max_size=12))
def test_row_property_no_count_can_be_worked_back(values):
    row = suppress_row(values)
    # every small count is hidden
    for v, c in zip(values, row.cells, strict=True):
        if is_small(v):
            assert c.suppressed
        assert c.value == v
    assert row.total.value == sum(values)
    if is_small(sum(values)):
        assert row.total.suppressed
    # with the total visible, never exactly one hidden cell (it could be subtracted out)
    if not row.total.suppressed:
        assert sum(c.suppressed for c in row.cells) != 1
    # shares of hidden counts are hidden
    for c, share in zip(row.cells, row.shares(), strict=True):
        if c.suppressed:
            assert share.suppressed


@pytest.mark.parametrize(
    ("num", "den", "shown"),
    [
        (0, 3, "[c]"),  # a rate over 1 to 5 children gives them away whatever its numerator
        (3, 3, "[c]"),
        (6, 6, "100.0%"),  # a share of 6 or more, of 6 or more, is shown
        (0, 6, "0.0%"),
        (6, 200, "3.0%"),
        (5, 200, "[c]"),
    ],
)
def test_rates_hide_a_numerator_or_denominator_of_one_to_five(num, den, shown):
    assert suppress_percentage(num, den).display == shown


@pytest.mark.parametrize(
    ("counts", "lines", "shown"),
    [
        # nothing small: every count and every sum shown
        ([10, 20, 30], [([0, 1], 2)], ["10", "20", "30"]),
        # a group of 13 owns providers of 3 and 10: the 10 would give the 3 back
        ([3, 10, 13], [([0, 1], 2)], ["[c]", "[c]", "13"]),
        # the five largest groups hold 56 of 65: with one of them small, the next smallest of the five is
        # hidden rather than their sum, which is shown with the 9 children outside them
        ([20, 15, 10, 8, 3, 9, 56, 65],
         [([0, 1, 2, 3, 4, 5], 7), ([0, 1, 2, 3, 4], 6), ([5, 6], 7)],
         ["20", "15", "10", "[c]", "[c]", "9", "56", "65"]),
        # but when only 4 children are outside them, total less their sum gives the 4: the sum is hidden
        ([20, 15, 10, 8, 6, 4, 59, 63],
         [([0, 1, 2, 3, 4, 5], 7), ([0, 1, 2, 3, 4], 6), ([5, 6], 7)],
         ["20", "15", "10", "[c]", "[c]", "[c]", "[c]", "63"]),
        # a sum hidden as the partner of a small count would be given back by its own parts (7 + 0):
        # one of those is hidden too
        ([3, 7, 10, 7, 0], [([0, 1], 2), ([3, 4], 1)], ["[c]", "[c]", "10", "[c]", "0"]),
        # the same figure in two places (a one-part line) is hidden in both or neither
        ([4, 4, 9, 13], [([0], 1), ([1, 2], 3)], ["[c]", "[c]", "[c]", "13"]),
        # no sum published: a lone small count needs no partner
        ([3, 20], [], ["[c]", "20"]),
    ],
)
def test_linked_counts(counts, lines, shown):
    from core.suppression import suppress_linked

    assert [c.display for c in suppress_linked(counts, lines)] == shown


def test_linked_counts_must_add_up():
    from core.suppression import suppress_linked

    with pytest.raises(ValueError):
        suppress_linked([3, 10, 14], [([0, 1], 2)])


@given(st.lists(st.lists(counts, min_size=1, max_size=4), min_size=1, max_size=6), st.integers(0, 6), counts)
def test_linked_property_no_line_gives_a_count_away(groups, largest, rest):
    """Providers in groups, the groups, the children with no provider, the total and the largest groups' sum,
    as the market page publishes them."""
    from core.suppression import suppress_linked

    providers = [v for g in groups for v in g]
    group_totals = [sum(g) for g in groups]
    top = list(range(min(largest, len(groups))))
    counts = [*providers, *group_totals, rest, sum(group_totals) + rest, sum(group_totals[k] for k in top)]
    n_p, n_g = len(providers), len(groups)
    group_ids = [n_p + k for k in range(n_g)]
    rest_id, total_id, largest_id = n_p + n_g, n_p + n_g + 1, n_p + n_g + 2
    lines, start = [], 0
    for k, g in enumerate(groups):
        lines.append((list(range(start, start + len(g))), group_ids[k]))
        start += len(g)
    lines += [
        ([*range(n_p), rest_id], total_id),
        ([*group_ids, rest_id], total_id),
        ([group_ids[k] for k in top], largest_id),
        ([*[group_ids[k] for k in range(n_g) if k not in top], rest_id, largest_id], total_id),
    ]
    cells = suppress_linked(counts, lines)
    for v, c in zip(counts, cells, strict=True):
        assert c.value == v
        if is_small(v):
            assert c.suppressed
    for parts, total in lines:
        assert sum(cells[i].suppressed for i in [*parts, total]) != 1
