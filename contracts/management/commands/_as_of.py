from datetime import date

from django.core.management.base import CommandError
from django.utils import timezone


def as_of_date(text: str | None) -> date:
    """The commands' --as-of option: an ISO date, or today when it is not given."""
    if not text:
        return timezone.localdate()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--as-of must be a date like 2026-11-23, not '{text}'") from None
