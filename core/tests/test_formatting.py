from decimal import Decimal as D

import pytest
from django.template import Context, Template

from core.formatting import format_money


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (D("1234567.49"), 0, "£1,234,567"),
        (D("1234567.50"), 0, "£1,234,568"),  # halves round up, not to even
        (D("2.5"), 0, "£3"),
        (D("1250.005"), 2, "£1,250.01"),
        (D("1250"), 2, "£1,250.00"),
        (0, 0, "£0"),
        (D("-40.5"), 0, "-£41"),
        (3000.1, 2, "£3,000.10"),
        ("1500", 0, "£1,500"),
        (None, 0, ""),
    ],
)
def test_format_money(value, places, expected):
    assert format_money(value, places=places) == expected


def test_the_template_filter_is_the_same_function():
    html = Template('{% load govuk %}{{ a|money }} {{ b|money:2 }} [{{ c|money }}] {{ c|default:0|money }}').render(
        Context({"a": D("98765.5"), "b": D("812.345"), "c": None}))
    assert html == "£98,766 £812.35 [] £0"
