"""Load: 50 signed-in users of every role on gunicorn, started as the Dockerfile starts it, on PostgreSQL
with the county data set (300 KPIs x 120 monthly values, 1,500 contracts, 5,000 children and 20,000
placements), driven by locust headless with a think time of 5-15 s for a fixed time.

Pages: home, KPI dashboard, a KPI page, contracts register, placements dashboard, reports; each user
is sent only to the pages its role may see (asked of each page's view), so any answer but 200 counts
as an error.

Targets: 0 errors, p95 <= 500 ms on this 2-core machine.

    .venv/bin/python bench/bench_load.py [--run-time 150] [--users 50] [--keep] [--reuse]

--keep leaves the database `bench_load` for a later --reuse (which skips loading the data); otherwise it
is dropped at the end. gunicorn and locust are stopped and the database dropped however the run ends
(finished, failed, Ctrl+C or SIGTERM).
"""

import argparse
import csv
import json
import os
import secrets
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import ExitStack
from pathlib import Path

from common import ROOT, drop_database, report, setup_django, timed

DATABASE = "bench_load"
REDIS_URL = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/9")
# The cache on a database of the bench's own too (settings.py would put it on database 1, the everyday one).
CACHE_REDIS_URL = os.environ.get("BENCH_CACHE_REDIS", "redis://127.0.0.1:6379/10")
RESULTS = ROOT / "bench" / "results"
PAGES = ["/", "/kpis/", "/kpis/{kpi}/", "/contracts/", "/placements/", "/reports/"]


def dockerfile_cmd() -> list[str]:
    """The web server command from the Dockerfile's CMD line."""
    for line in (ROOT / "Dockerfile").read_text().splitlines():
        if line.startswith("CMD "):
            return json.loads(line.removeprefix("CMD "))
    raise SystemExit("No CMD in the Dockerfile")


def gunicorn_command(port: int) -> list[str]:
    """The Dockerfile's command (its gunicorn.conf.py: same workers and timeouts), bound to 127.0.0.1:port only
    (the command line overrides the file's bind)."""
    cmd = dockerfile_cmd()
    assert cmd[0] == "gunicorn" and "-c" in cmd, cmd
    return [str(Path(sys.executable).with_name("gunicorn")), *cmd[1:], "--bind", f"127.0.0.1:{port}"]


def gunicorn_start(cleanup, env: dict, log_path: Path) -> tuple[str, subprocess.Popen, list[str]]:
    """gunicorn as the Dockerfile starts it on a free local port, its output in log_path, stopped (and the log
    closed) by the ExitStack `cleanup`; its address once /healthz answers, its process and its command."""
    port = free_port()
    command = gunicorn_command(port)
    log = open(log_path, "w")
    cleanup.callback(log.close)
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)
    cleanup.callback(stop, process, group=True)
    host = f"http://127.0.0.1:{port}"
    wait_until_up(f"{host}/healthz", process)
    return host, process, command


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def county_data_create():
    """The data sets of bench_kpis, bench_contracts and bench_placements, and the demo users."""
    import random

    from bench_contracts import contracts_csv, managers_create
    from bench_kpis import county_kpis_create
    from bench_placements import costs_and_agreements_create, make_return, postcode_districts_create
    from django.utils import timezone

    from contracts.imports import import_contracts
    from core.demo import demo_users_create
    from core.imports import read_table
    from core.roles import COMMISSIONER, PLACEMENTS_OFFICER
    from kpis.imports import import_measurements
    from kpis.services import statuses_recompute
    from placements.importers import import_903

    users = demo_users_create()
    today = timezone.localdate()
    indicators, values = county_kpis_create(owner=users[COMMISSIONER])
    import_measurements(read_table(values, "values.csv"), user=users[COMMISSIONER], queue=False)
    statuses_recompute()
    managers = managers_create()
    import_contracts(read_table(contracts_csv(random.Random(1500), today, managers), "contracts.csv"),
                     user=users[COMMISSIONER])
    postcode_districts_create()
    header, episodes, _ = make_return(today)
    import_903(read_table(header, "header.csv"), read_table(episodes, "episodes.csv"), user=users[PLACEMENTS_OFFICER])
    costs_and_agreements_create(user=users[PLACEMENTS_OFFICER])


def load_plan() -> dict:
    """Each demo user with the pages its role may see (each page's view asked for its permission)."""
    from django.contrib.auth import get_user_model
    from django.urls import resolve

    from core.demo import DEMO_PASSWORD, DEMO_USERS
    from kpis.models import Indicator

    kpis = list(Indicator.objects.filter(active=True).values_list("pk", flat=True))
    plan = {"password": DEMO_PASSWORD, "kpis": kpis, "users": {}, "roles": {}}
    for username, _, _, role in DEMO_USERS:
        user = get_user_model().objects.get(username=username)
        pages = []
        for page in PAGES:
            view_class = getattr(resolve(page.format(kpi=kpis[0])).func, "view_class", None)
            needed = getattr(view_class, "permission_required", None) or ()
            if user.has_perms([needed] if isinstance(needed, str) else needed):
                pages.append(page)
        plan["users"][username] = pages
        plan["roles"][username] = role
    return plan


def server_env() -> dict:
    """Production settings as docker-compose gives them, with the bench's database and Redis."""
    env = {k: v for k, v in os.environ.items() if k not in ("CELERY_TASK_ALWAYS_EAGER", "DEBUG")}
    env.update(PRODUCTION="true", SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="127.0.0.1",
               DATABASE_URL=os.environ["DATABASE_URL"], PYTHONUNBUFFERED="1")
    if REDIS_URL:
        env.update(REDIS_URL=REDIS_URL, CACHE_REDIS_URL=CACHE_REDIS_URL)
    return env


def stop(process: subprocess.Popen, *, group: bool):
    """SIGTERM (to the process group for gunicorn), then SIGKILL after 15 s."""
    if process.poll() is not None:
        return
    send = (lambda sig: os.killpg(process.pid, sig)) if group else process.send_signal
    send(signal.SIGTERM)
    try:
        process.wait(15)
    except subprocess.TimeoutExpired:
        send(signal.SIGKILL)
        process.wait()


def wait_until_up(url: str, process: subprocess.Popen, seconds: int = 60):
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited with {process.returncode}; see {RESULTS / 'load-gunicorn.log'}")
        try:
            with urllib.request.urlopen(request, timeout=2) as response:  # 127.0.0.1 only
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"gunicorn did not answer {url} within {seconds} s")


def _sigterm(signum, frame):
    raise SystemExit(f"stopped by signal {signum}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--run-time", type=int, default=150, help="seconds of load (default 150)")
    parser.add_argument("--users", type=int, default=50, help="signed-in users (default 50)")
    parser.add_argument("--keep", action="store_true", help="keep the database for a later --reuse")
    parser.add_argument("--reuse", action="store_true", help="reuse the database a --keep run left")
    args = parser.parse_args()
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even when started with SIGINT ignored
    signal.signal(signal.SIGTERM, _sigterm)
    signal.signal(signal.SIGHUP, _sigterm)
    RESULTS.mkdir(parents=True, exist_ok=True)

    with ExitStack() as cleanup:
        setup_django(DATABASE, fresh=not args.reuse)
        if not args.keep:
            cleanup.callback(drop_database, DATABASE)
        from kpis.models import Indicator

        seeded = args.reuse and Indicator.objects.exists()
        _, seed_s = (None, 0.0) if seeded else timed(county_data_create)
        plan = load_plan()
        from django.db import connections

        connections.close_all()

        env = server_env()
        # As the Dockerfile does at build time: the manifest static storage needs collected files.
        subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env,
                       check=True)
        host, server, server_cmd = gunicorn_start(cleanup, env, RESULTS / "load-gunicorn.log")

        stats_prefix = RESULTS / "load"
        for old in RESULTS.glob("load_*.csv"):
            old.unlink()
        spawn_rate = min(10, args.users)
        locust_cmd = [
            str(Path(sys.executable).with_name("locust")), "-f", "bench/locustfile.py", "--headless",
            "-u", str(args.users), "-r", str(spawn_rate), "--run-time", f"{args.run_time}s", "--stop-timeout", "20",
            "--host", host, "--csv", str(stats_prefix.relative_to(ROOT)), "--only-summary", "--loglevel", "WARNING",
        ]
        print(f"Load: {args.users} users on {host} for {args.run_time} s"
              f"{'' if seeded else f' (county data loaded in {seed_s:.0f} s)'}", flush=True)
        locust_log = open(RESULTS / "load-locust.log", "w")  # closed by the ExitStack
        cleanup.callback(locust_log.close)
        times_file = RESULTS / "load-times.tsv"
        locust_env = os.environ | {"LOAD_PLAN": json.dumps(plan), "LOAD_TIMES": str(times_file)}
        locust_started = time.time()
        locust = subprocess.Popen(locust_cmd, cwd=ROOT, env=locust_env,
                                  stdout=locust_log, stderr=subprocess.STDOUT)
        cleanup.callback(stop, locust, group=False)
        load_before = os.getloadavg()[0]
        locust.wait(args.run_time + 120)
        load_after = os.getloadavg()[0]
        stop(server, group=True)  # before reading its log

        stats_file = RESULTS / "load_stats.csv"
        if not stats_file.exists():
            raise SystemExit(f"locust wrote no statistics; see {RESULTS / 'load-locust.log'}")
        rows = {row["Name"]: row for row in csv.DictReader(stats_file.open())}
        total = rows.pop("Aggregated")
        failures = list(csv.DictReader((RESULTS / "load_failures.csv").open()))
        log = (RESULTS / "load-gunicorn.log").read_text()

    # The pages apart from signing in; and once every user has signed in (the ramp-up of 50 PBKDF2 sign-ins in
    # five seconds saturates two cores by itself, and a council's users do not all sign in in the same seconds).
    samples = [line.split("\t") for line in times_file.read_text().splitlines()]
    signed_in_by = max((float(t[1]) + float(t[2]) / 1000 for t in samples if t[0] == "/sign-in/ (POST)"),
                       default=locust_started)
    pages_all = [float(t[2]) for t in samples if t[0] in PAGES]
    pages_steady = [float(t[2]) for t in samples if t[0] in PAGES and float(t[1]) >= signed_in_by]

    def pct(values, q):
        if not values:
            return "-"
        ordered = sorted(values)
        return f"{ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))]:.0f}"

    def spread(values):
        return f"{len(values)}, {pct(values, 50)} / {pct(values, 95)} / {pct(values, 99)} ms"

    def ms(row, column):
        return f"{float(row[column]):.0f} ms" if row[column] not in ("", "N/A") else "-"

    figures = [
        ("users / think time / run time", f"{args.users} / 5-15 s / {args.run_time} s", "50 / 5-15 s"),
        ("requests (sign-in included)", f"{int(total['Request Count']):,}", "-"),
        ("errors (failures: any answer but 200 or a sign-in redirect)", total["Failure Count"], "0"),
        ("p50", ms(total, "50%"), "-"),
        ("p95", ms(total, "95%"), "<= 500 ms"),
        ("p99", ms(total, "99%"), "-"),
        ("max", ms(total, "Max Response Time"), "-"),
        ("requests per second", f"{float(total['Requests/s']):.1f}", "-"),
        ("pages only (no sign-in): requests, p50 / p95 / p99", spread(pages_all), "p95 <= 500 ms"),
        (f"pages once all had signed in (after {signed_in_by - locust_started:.0f} s)", spread(pages_steady),
         "p95 <= 500 ms"),
        ("machine load average (1 min) at start / end", f"{load_before:.1f} / {load_after:.1f}",
         f"{os.cpu_count()} cores"),
        ("gunicorn worker timeouts / tracebacks in its log",
         f"{log.count('WORKER TIMEOUT')} / {log.count('Traceback')}", "0 / 0"),
    ]
    for name in [*PAGES, "/sign-in/", "/sign-in/ (POST)"]:
        if name in rows:
            row = rows[name]
            figures.append((f"  {name}: requests, p50 / p95 / p99",
                            f"{row['Request Count']}, {ms(row, '50%')} / {ms(row, '95%')} / {ms(row, '99%')}",
                            "p95 <= 500 ms"))
    report(f"Load: {args.users} signed-in users of every role, gunicorn as in the Dockerfile, PostgreSQL, "
           "county data (300 KPIs x 120 values, 1,500 contracts, 20,000 placements)", figures)
    print(f"  server: $ {shlex.join(['gunicorn', *server_cmd[1:]])}")
    print(f"  load:   $ LOAD_PLAN=... {shlex.join(['locust', *locust_cmd[1:]])}")
    for username, pages in plan["users"].items():
        print(f"  {plan['roles'][username]} ({username}): {' '.join(pages)}")
    for failure in failures[:10]:
        print(f"  failure: {failure['Method']} {failure['Name']} x{failure['Occurrences']}: {failure['Error']}")
    sys.stdout.flush()


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit("Load run interrupted: gunicorn and locust stopped, database dropped (unless --keep).")
