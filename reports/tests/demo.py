"""The demo data (seed_demo) for tests that read whole reports built from it."""

import io
from contextlib import contextmanager

import time_machine
from django.core.management import call_command
from django.db import transaction


@contextmanager
def demo_data_at(moment):
    """The demo data loaded with the clock stopped at `moment` (its figures are relative to today), rolled back when
    the block ends. For a module-scoped fixture: enter it inside `django_db_blocker.unblock()`."""
    with time_machine.travel(moment, tick=False), transaction.atomic():
        call_command("seed_demo", verbosity=0, stdout=io.StringIO())
        yield
        transaction.set_rollback(True)
