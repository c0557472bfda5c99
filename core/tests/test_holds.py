"""Checked uploads held in the database between "check" and "confirm": for the person who checked, for a bounded
time, then gone."""

import pickle
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.holds import hold_drop, hold_exists, hold_get, hold_put, holds_expired_delete
from core.models import HeldUpload
from core.tasks import held_uploads_delete_expired

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def test_whether_a_hold_exists_is_answered_without_reading_it_and_not_after_it_expires(commissioner, viewer):
    with time_machine.travel(NOON, tick=False):
        hold_put(user=commissioner, key="placements-903-checked:x", value="rows", seconds=60)
        assert hold_exists(user=commissioner, key="placements-903-checked:x")
        assert not hold_exists(user=viewer, key="placements-903-checked:x")
    with time_machine.travel(NOON + timedelta(seconds=61), tick=False):
        assert not hold_exists(user=commissioner, key="placements-903-checked:x")


def test_a_hold_is_the_holders_alone_and_ends_when_dropped(commissioner, viewer):
    hold_put(user=commissioner, key="import-check:x", value=("budget.csv", b"a,b\n1,2\n"), seconds=60)
    assert hold_get(user=commissioner, key="import-check:x") == ("budget.csv", b"a,b\n1,2\n")
    assert hold_get(user=viewer, key="import-check:x") is None
    assert hold_get(user=commissioner, key="import-check:y") is None
    hold_put(user=commissioner, key="import-check:x", value="checked again", seconds=60)  # replaces, one row
    assert hold_get(user=commissioner, key="import-check:x") == "checked again"
    assert HeldUpload.objects.count() == 1
    hold_drop(user=commissioner, key="import-check:x")
    assert hold_get(user=commissioner, key="import-check:x") is None and not HeldUpload.objects.exists()


def test_an_expired_hold_is_not_given_and_is_deleted_on_the_next_read(commissioner, viewer):
    with time_machine.travel(NOON, tick=False) as clock:
        hold_put(user=commissioner, key="a", value=1, seconds=60)
        hold_put(user=viewer, key="b", value=2, seconds=600)
        clock.shift(timedelta(seconds=59))
        assert hold_get(user=commissioner, key="a") == 1
        clock.shift(timedelta(seconds=1))
        assert hold_get(user=commissioner, key="a") is None
        assert list(HeldUpload.objects.values_list("key", flat=True)) == ["b"]  # the other person's still waits


def test_a_hold_an_earlier_release_wrote_in_a_shape_no_longer_known_is_as_good_as_expired(commissioner):
    hold_put(user=commissioner, key="a", value=1, seconds=60)
    # A pickle naming a class that no longer exists (moved or renamed since it was held)
    gone = pickle.dumps(HeldUpload).replace(b"HeldUpload", b"GoneUpload")
    HeldUpload.objects.update(value=gone)
    assert hold_get(user=commissioner, key="a") is None and not HeldUpload.objects.exists()


def test_the_hourly_sweep_deletes_what_nobody_confirmed(commissioner):
    with time_machine.travel(NOON, tick=False) as clock:
        hold_put(user=commissioner, key="a", value=1, seconds=30 * 60)
        hold_put(user=commissioner, key="b", value=2, seconds=2 * 60 * 60)
        clock.shift(timedelta(hours=1))
        held_uploads_delete_expired.apply()
        assert list(HeldUpload.objects.values_list("key", flat=True)) == ["b"]
        assert holds_expired_delete(now=NOON + timedelta(hours=3)) == 1


def test_an_import_page_holds_the_checked_file_for_30_minutes_then_asks_for_it_again(commissioner_client, settings):
    settings.SESSION_IDLE_TIMEOUT = 2 * 60 * 60  # a council with a longer idle timeout than the hold
    url = reverse("contracts:import")
    from contracts.tests.test_imports import GOOD

    with time_machine.travel(NOON, tick=False) as clock:
        check = commissioner_client.post(url, {"file": SimpleUploadedFile("register.csv", GOOD.encode())})
        assert "Check before saving" in check.content.decode()
        held = HeldUpload.objects.get()
        assert held.expires == NOON + timedelta(minutes=30)
        clock.shift(timedelta(minutes=31))
        late = commissioner_client.post(url, {"confirm": check.context["digest"]})
    assert "The check has expired or the file was not found: upload the file again" in late.content.decode()
    assert not HeldUpload.objects.exists()


def test_the_admin_shows_a_hold_is_there_but_never_what_it_holds(admin_user_client, commissioner):
    hold_put(user=commissioner, key="import-check:contracts:contracts:abc", value=("names.csv", b"Ann Smith"),
             seconds=60)
    page = admin_user_client.get(reverse("admin:core_heldupload_changelist")).content.decode()
    assert "import-check:contracts:contracts:abc" in page and "Ann Smith" not in page
    assert "value" not in admin.site._registry[HeldUpload].fields
