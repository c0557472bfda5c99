"""Helpers for the benchmark scripts in bench/.

Each script runs on its own fresh PostgreSQL database (dropped and created anew), so
figures are taken at a known size. Benchmarks print; they never fail the build.
"""

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PG_SERVER = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")


def create_database(database: str, *, fresh: bool = True) -> str:
    """An empty PostgreSQL database named `database` (dropped first if there; with fresh=False one left by an
    earlier run is kept), and its URL."""
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone()
        if fresh or not exists:
            conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{database}"')
    return f"{PG_SERVER}/{database}"


def setup_django(database: str, *, fresh: bool = True):
    """Point Django at a fresh PostgreSQL database named `database` (or the one left by an earlier run, with
    fresh=False), migrate it, and return nothing."""
    os.environ["DATABASE_URL"] = create_database(database, fresh=fresh)
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "true"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commissioning.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def drop_database(database: str):
    """Close Django's connections and drop `database`."""
    import psycopg
    from django.db import connections

    connections.close_all()
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def timed(fn, *args, **kwargs):
    """Run once; return (result, seconds)."""
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - start


def view_timing(client, url: str, runs: int = 20):
    """Median and max server time in ms for GET `url`, and the number of queries it ran."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm caches and templates
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    return {"median_ms": statistics.median(times), "max_ms": max(times), "queries": len(ctx.captured_queries)}


def peak_rss_mb_of(cmd: list[str]) -> float:
    """Peak resident memory of a child command, via GNU time if present."""
    out = subprocess.run(["/usr/bin/time", "-f", "%M", *cmd], capture_output=True, text=True, check=True)
    return int(out.stderr.strip().splitlines()[-1]) / 1024


def report(title: str, figures: list[tuple[str, str, str]]):
    """Print figures as `name: value (target)` under the command that produced them."""
    command = "python " + " ".join(sys.argv)
    print(f"\n## {title}\n$ {command}")
    for name, value, target in figures:
        print(f"  {name:<48} {value:>14}   target {target}")
