"""Checked uploads waiting for confirmation, in the database (core.models.HeldUpload).

An import page checks a file, shows what it would change, and imports it when the person confirms: the file (or
the checked rows) waits in between, for `seconds`, keyed by the person and what was checked. Not the cache, which
may be down or emptied; not MEDIA, where a council's spreadsheet would outlive the check and be served or backed
up; not the session, written on every request. Values are pickled: only this module writes or reads them.
"""

import pickle  # only values this module wrote
from datetime import timedelta

from django.utils import timezone

from .models import HeldUpload


def hold_put(*, user, key: str, value, seconds: int) -> None:
    """Hold a value for this person under this key (replacing what was held there) for `seconds`."""
    HeldUpload.objects.update_or_create(
        user=user, key=key,
        defaults={"value": pickle.dumps(value), "expires": timezone.now() + timedelta(seconds=seconds)},
    )


def hold_get(*, user, key: str):
    """What this person holds under this key, or None when nothing is held or it has expired. Clears every
    expired hold on the way."""
    holds_expired_delete()
    held = HeldUpload.objects.filter(user=user, key=key).values_list("value", flat=True).first()
    if held is None:
        return None
    try:
        return pickle.loads(held)  # noqa: S301 - written by hold_put
    except (pickle.UnpicklingError, AttributeError, ImportError, EOFError, TypeError, ValueError):
        # Held by an earlier release whose classes have changed since: as good as expired.
        hold_drop(user=user, key=key)
        return None


def hold_exists(*, user, key: str) -> bool:
    """Whether this person holds something unexpired under this key, without reading it (a held return is large)."""
    return HeldUpload.objects.filter(user=user, key=key, expires__gt=timezone.now()).exists()


def hold_drop(*, user, key: str) -> None:
    HeldUpload.objects.filter(user=user, key=key).delete()


def holds_expired_delete(*, now=None) -> int:
    """Delete every hold past its time. Returns how many."""
    deleted, _ = HeldUpload.objects.filter(expires__lte=now or timezone.now()).delete()
    return deleted
