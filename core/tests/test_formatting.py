from decimal import Decimal as D

import pytest
from django.template import Context, Template

from core.formatting import format_money


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (D("1234567.49"), 0, "£1,234,567"),
        (D("1234567.50"), 0, "£1,234,568"),  # halves round up, not to even
        (D("1234.50"), 0, "£1,235"),
        (D("1233.50"), 0, "£1,234"),  # to even would give £1,234 for both
        (D("2.5"), 0, "£3"),
        (D("0.5"), 0, "£1"),
        (D("1250.005"), 2, "£1,250.01"),
        (D("1250"), 2, "£1,250.00"),
        (D("812.345"), 2, "£812.35"),
        (0, 0, "£0"),
        (D("0.00"), 2, "£0.00"),
        (D("-0.4"), 0, "£0"),  # rounds to nothing: no minus sign on zero
        (D("-40.5"), 0, "−£41"),  # away from zero, as finance systems round
        (D("-33318.36"), 0, "−£33,318"),
        (D("-33318.36"), 2, "−£33,318.36"),
        (3000.1, 2, "£3,000.10"),
        (1234.5, 0, "£1,235"),
        ("1500", 0, "£1,500"),
        (None, 0, ""),
        ("", 2, ""),
    ],
)
def test_format_money(value, places, expected):
    assert format_money(value, places=places) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (D("14612340"), "14,612"),
        (D("14612500"), "14,613"),  # half up
        (D("1500"), "2"),
        (D("499.99"), "0"),
        (D("-415439"), "−415"),
        (D("-415500"), "−416"),
        (0, "0"),
        (None, ""),
    ],
)
def test_format_money_in_thousands_for_a_column_headed_000(value, expected):
    assert format_money(value, thousands=True) == expected


def test_the_template_filter_is_the_same_function():
    html = Template('{% load govuk %}{{ a|money }} {{ b|money:2 }} [{{ c|money }}] {{ c|default:0|money }} '
                    '{{ d|money }} {{ e|money:"000" }}').render(
        Context({"a": D("98765.5"), "b": D("812.345"), "c": None, "d": D("-33318.36"), "e": D("14612340")}))
    assert html == "£98,766 £812.35 [] £0 −£33,318 14,612"
