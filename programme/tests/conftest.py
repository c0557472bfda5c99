import datetime

import pytest
import time_machine

from .pages import TEST_DAY


@pytest.fixture
def on_test_day():
    with time_machine.travel(datetime.datetime.combine(TEST_DAY, datetime.time(12)), tick=False):
        yield
