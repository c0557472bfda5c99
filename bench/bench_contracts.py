"""Contracts benchmarks at 1,500 contracts and 600 providers.

Targets: register page median server time <= 100 ms with a query count that does not
grow with rows; import of 1,500 rows <= 5 s; alert scan <= 1 s.
"""

import random
from datetime import timedelta

from common import report, setup_django, timed, view_timing

CONTRACTS = 1500
PROVIDERS = 600


def contracts_csv(rng, today, managers, *, bump=False):
    """An import file of 1,500 contracts with 600 providers, managed by `managers` (usernames)."""
    from contracts.imports import IMPORT_COLUMNS

    areas = ["fostering", "residential", "send", "leaving_care", "short_breaks", "early_help", "advocacy"]
    types = ["block", "spot", "framework_call_off", "grant", "ipa", "dps_call_off"]
    routes = ["open", "restricted", "framework", "spot", "direct_award", "grant"]
    lines = [",".join(IMPORT_COLUMNS)]
    for i in range(CONTRACTS):
        start = today - timedelta(days=rng.randrange(0, 1800))
        end = start + timedelta(days=rng.randrange(180, 1900))
        options = rng.choice(["", "12", "12+12", "24", "6+6"])
        used = rng.randrange(0, options.count("+") + 2) if options else 0
        annual = rng.randrange(5, 900) * 1000 + (1 if bump and i % 10 == 0 else 0)
        lines.append(",".join([
            f"BENCH-{i:05d}", f"Bench contract {i}", f"Bench provider {i % PROVIDERS:03d}",
            rng.choice(["private", "voluntary", "public"]), rng.choice(areas), rng.choice(types), rng.choice(routes),
            start.strftime("%d/%m/%Y"), end.isoformat(), options, str(used), f"\"£{annual:,}\"", str(annual * 4),
            rng.choice(["high", "medium", "low"]), managers[i % len(managers)],
        ]))
    return "\n".join(lines).encode()


def managers_create() -> list[str]:
    """Eight commissioners who manage the contracts; returns their usernames."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from core.roles import COMMISSIONER

    User = get_user_model()
    managers = []
    for n in range(8):
        user = User.objects.create_user(f"manager{n}", email=f"manager{n}@example.gov.uk",
                                        password="bench-password-123", first_name=f"Manager {n}")
        user.groups.add(Group.objects.get(name=COMMISSIONER))
        managers.append(user.username)
    return managers


def main():
    setup_django("bench_contracts")
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.utils import timezone

    from contracts.imports import import_contracts
    from contracts.models import Contract, Provider
    from contracts.services import contracts_send_alerts
    from core.imports import read_table

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    rng = random.Random(1500)
    today = timezone.localdate()
    managers = managers_create()
    actor = get_user_model().objects.get(username="manager0")

    data = contracts_csv(rng, today, managers)
    summary, first_import = timed(import_contracts, read_table(data, "bench.csv"), user=actor)
    assert Contract.objects.count() == CONTRACTS and Provider.objects.count() == PROVIDERS, summary
    _, reimport = timed(import_contracts, read_table(data, "bench.csv"), user=actor)
    changed = contracts_csv(random.Random(1500), today, managers, bump=True)
    summary2, update_import = timed(import_contracts, read_table(changed, "bench.csv"), user=actor)

    client = Client()
    client.force_login(actor)
    register = view_timing(client, "/contracts/")
    filtered = view_timing(client, "/contracts/?ends_within=6&risk=high")
    alert_filter = view_timing(client, "/contracts/?alert=decision_due")
    due_page = view_timing(client, "/contracts/due/")
    providers = view_timing(client, "/contracts/providers/")
    big_page = Client()
    big_page.force_login(actor)

    result, scan = timed(contracts_send_alerts, as_of=today)
    _, rescan = timed(contracts_send_alerts, as_of=today)

    report(f"Contracts at {CONTRACTS:,} contracts and {PROVIDERS} providers (PostgreSQL)", [
        ("import 1,500 rows (new, 600 providers created)", f"{first_import:.2f} s", "<= 5 s"),
        ("import same file again (all unchanged)", f"{reimport:.2f} s", "<= 5 s"),
        (f"import with {summary2.updated} rows changed", f"{update_import:.2f} s", "<= 5 s"),
        ("register median server time", f"{register['median_ms']:.0f} ms", "<= 100 ms"),
        ("register queries", str(register["queries"]), "constant"),
        ("register filtered (ends within 6 months, high risk)", f"{filtered['median_ms']:.0f} ms", "<= 100 ms"),
        ("register ?alert=decision_due", f"{alert_filter['median_ms']:.0f} ms", "<= 100 ms"),
        ("contracts due page median", f"{due_page['median_ms']:.0f} ms", "-"),
        ("provider register median", f"{providers['median_ms']:.0f} ms", "-"),
        (f"alert scan ({result['alerts']} alerts, {result['emails']} emails)", f"{scan:.2f} s", "<= 1 s"),
        ("alert scan again (nothing new)", f"{rescan:.2f} s", "<= 1 s"),
    ])


if __name__ == "__main__":
    main()
