from datetime import date

import pytest
from django.core import mail
from django.db import transaction

from contracts import services, tasks
from contracts.models import AlertSent
from contracts.tests.factories import ContractFactory

pytestmark = pytest.mark.django_db
AS_OF = date(2026, 11, 23)


@pytest.fixture
def portfolio(make_user):
    alice = make_user("Commissioner", "alice")
    bob = make_user("Commissioner", "bob")
    ContractFactory(reference="A-DUE", contract_manager=alice, end_date=date(2027, 3, 31),
                    last_reviewed_on=date(2026, 11, 1))
    ContractFactory(reference="A-REVIEW", contract_manager=alice, end_date=date(2028, 3, 31), risk="high",
                    last_reviewed_on=date(2026, 9, 1))
    ContractFactory(reference="B-STALE", contract_manager=bob, end_date=date(2026, 10, 31), extension_options="",
                    status="live", last_reviewed_on=date(2026, 11, 1))
    ContractFactory(reference="NOBODY", contract_manager=None, end_date=date(2027, 1, 31))
    ContractFactory(reference="QUIET", contract_manager=bob, end_date=date(2029, 3, 31),
                    last_reviewed_on=date(2026, 11, 1))
    return alice, bob


def test_one_digest_per_manager_listing_each_alert(portfolio):
    alice, bob = portfolio
    result = services.contracts_send_alerts(as_of=AS_OF)
    assert result["emails"] == 2
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert set(by_recipient) == {alice.email, bob.email}
    alice_mail = by_recipient[alice.email].body
    assert "A-DUE" in alice_mail and "The decision was due on 30 September 2026" in alice_mail
    assert "Decision due on the contract's end (1)" in alice_mail and "Review overdue (1)" in alice_mail
    assert "A-REVIEW" in alice_mail and "The review was due on 1 October 2026" in alice_mail
    assert "B-STALE" not in alice_mail and "QUIET" not in alice_mail
    assert "B-STALE" in by_recipient[bob.email].body and "It ended on 31 October 2026" in by_recipient[bob.email].body
    assert by_recipient[alice.email].subject == "Contracts needing your attention: 2 new alerts"
    assert AlertSent.objects.count() == 3  # NOBODY has no manager: left for the dashboards


def test_the_same_alert_is_never_sent_twice(portfolio):
    services.contracts_send_alerts(as_of=AS_OF)
    mail.outbox.clear()
    again = services.contracts_send_alerts(as_of=date(2026, 11, 24))
    assert again == {"emails": 0, "alerts": 0, "pending": 5, "failed": 0, "locked": 0}  # NOBODY: decision, review
    assert mail.outbox == []


def test_a_new_due_date_is_a_new_alert(portfolio, commissioner):
    alice, _ = portfolio
    services.contracts_send_alerts(as_of=AS_OF)
    mail.outbox.clear()
    review_contract = alice.managed_contracts.get(reference="A-REVIEW")
    services.contract_review_record(contract=review_contract, user=alice, reviewed_on=date(2026, 11, 20),
                                    kind="review_meeting", rating="good")
    services.contracts_send_alerts(as_of=date(2026, 12, 21))  # next monthly review (20 Dec) now overdue
    assert len(mail.outbox) == 1 and "A-REVIEW" in mail.outbox[0].body and "A-DUE" not in mail.outbox[0].body


def test_daily_task_runs_the_scan(portfolio, settings):
    assert settings.CELERY_BEAT_SCHEDULE["contracts-daily-alerts"]["task"] == "contracts.tasks.contracts_send_alerts"
    result = tasks.contracts_send_alerts.delay().get()  # as of today: every fixture contract is past due
    assert result["emails"] == len(mail.outbox) == 2
    assert result["alerts"] == AlertSent.objects.count() >= 3


def test_a_failed_email_is_not_marked_sent_and_others_still_go(portfolio, monkeypatch):
    alice, bob = portfolio
    from contracts import services as contract_services

    real_send = contract_services.send_mail

    def flaky(subject, body, sender, to, **kwargs):
        if to == [alice.email]:
            raise ConnectionRefusedError("mail server down")
        return real_send(subject, body, sender, to, **kwargs)

    monkeypatch.setattr(contract_services, "send_mail", flaky)
    result = services.contracts_send_alerts(as_of=AS_OF)
    assert result["emails"] == 1 and result["failed"] == 1
    assert [m.to for m in mail.outbox] == [[bob.email]]
    assert not AlertSent.objects.filter(recipient=alice).exists()
    monkeypatch.setattr(contract_services, "send_mail", real_send)
    mail.outbox.clear()
    services.contracts_send_alerts(as_of=AS_OF)
    assert [m.to for m in mail.outbox] == [[alice.email]]


# --- two scans at once ----------------------------------------------------------------------

def test_a_scan_that_finds_a_digest_locked_leaves_it_to_the_other(portfolio, monkeypatch):
    alice, bob = portfolio
    calls = []

    def lock(manager_id):
        calls.append(manager_id)
        return manager_id != alice.pk  # another scan is sending alice's digest

    monkeypatch.setattr(services, "_lock_digest", lock)
    result = services.contracts_send_alerts(as_of=AS_OF)
    assert calls == sorted([alice.pk, bob.pk])
    assert result["locked"] == 1 and result["emails"] == 1
    assert [m.to for m in mail.outbox] == [[bob.email]]
    assert not AlertSent.objects.filter(recipient=alice).exists()  # left for the scan holding the lock


def test_a_scan_that_ran_meanwhile_is_seen_once_the_lock_is_held(portfolio, monkeypatch):
    """Scan 1 reads what was sent, then scan 2 runs to the end before scan 1 takes its first lock:
    scan 1 reads again under the lock and sends nothing."""
    real_lock = services._lock_digest
    other_scan = {}

    def lock(manager_id):
        if not other_scan:
            monkeypatch.setattr(services, "_lock_digest", real_lock)
            other_scan.update(services.contracts_send_alerts(as_of=AS_OF))
        return real_lock(manager_id)

    monkeypatch.setattr(services, "_lock_digest", lock)
    first = services.contracts_send_alerts(as_of=AS_OF)
    assert other_scan["emails"] == 2
    assert first["emails"] == 0 and first["alerts"] == 0
    assert len(mail.outbox) == 2 and AlertSent.objects.count() == 3


def test_lock_helper_on_sqlite_relies_on_immediate_transactions(django_assert_num_queries):
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite behaviour")
    with django_assert_num_queries(0):
        assert services._lock_digest(1) is True


@pytest.mark.django_db(transaction=True)
def test_postgresql_advisory_lock_held_elsewhere_stops_the_digest(make_user):
    """With a real second connection holding alice's advisory lock, the scan sends only bob's digest;
    once the lock is released the next scan sends alice's."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL)")
    alice = make_user("Commissioner", "alice")
    bob = make_user("Commissioner", "bob")
    ContractFactory(reference="A-DUE", contract_manager=alice, end_date=date(2027, 3, 31),
                    last_reviewed_on=date(2026, 11, 1))
    ContractFactory(reference="B-DUE", contract_manager=bob, end_date=date(2027, 3, 31),
                    last_reviewed_on=date(2026, 11, 1))
    held, release, done = threading.Event(), threading.Event(), threading.Event()

    def other_scan():
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [services.ALERT_LOCK_SPACE, alice.pk])
                held.set()
                release.wait(10)
        finally:
            connections.close_all()
            done.set()

    thread = threading.Thread(target=other_scan)
    thread.start()
    try:
        assert held.wait(10)
        result = services.contracts_send_alerts(as_of=AS_OF)
        assert result["locked"] == 1 and [m.to for m in mail.outbox] == [[bob.email]]
    finally:
        release.set()
        thread.join(10)
    mail.outbox.clear()
    result = services.contracts_send_alerts(as_of=AS_OF)
    assert result["locked"] == 0 and [m.to for m in mail.outbox] == [[alice.email]]


def test_the_links_in_a_digest_are_absolute_from_the_site_url(portfolio, settings):
    from django.urls import reverse

    from contracts.models import Contract

    settings.SITE_URL = "https://commissioning.example.gov.uk"
    services.contracts_send_alerts(as_of=AS_OF)
    alice_mail = next(m for m in mail.outbox if m.to[0] == portfolio[0].email).body
    due = Contract.objects.get(reference="A-DUE")
    assert f"  https://commissioning.example.gov.uk{reverse('contracts:detail', args=[due.pk])}\n" in alice_mail
    links = [line.strip() for line in alice_mail.splitlines() if "/contracts/" in line]
    assert links and all(link.startswith("https://commissioning.example.gov.uk/contracts/") for link in links)
