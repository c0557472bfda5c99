"""Resilience: the four probes a council's IT security team ran, repeated against the product run as in production
(gunicorn as the Dockerfile starts it, PRODUCTION=true, a real Celery worker), over real HTTP, on the demo data.

1. Redis stopped (the cache and the broker at a port nothing listens on) and Redis hung (a redis-server of the
   bench's own, stopped with SIGSTOP): a commissioner signs in and opens the home page, the finance dashboard and a
   finance line, saves a KPI value and uploads a contracts spreadsheet (check, then confirm). Target: every answer
   200 or 302, each in <= 2 s (settings.REDIS_TIMEOUT_SECONDS is 1 s).
2. A committee pack that outlasts the build's soft time limit (1 s here) in a prefork worker: sent again once
   (REPORTS_AUTOMATIC_RETRIES=1), then failed with its reason. Then a run whose message never reached the broker,
   queued longer than REPORTS_QUEUED_LOST_MINUTES: the sweep beat runs sends it again and the worker builds it.
3. Lockout behind one proxy (TRUSTED_PROXY_COUNT=1): six wrong passwords from one address, then the right one from
   that address (locked, and the page no different from a username that does not exist's) and from another
   (signed in).
4. Every CSV and XLSX download, with contract, provider, rating, KPI and DfE text that starts with = + - @ tab or
   CR: no cell a spreadsheet would run. Target: 0.

    .venv/bin/python bench/bench_resilience.py [--keep] [--reuse]

--keep leaves the database `bench_resilience` for a later --reuse (which skips migrating and seeding it); otherwise
it is dropped at the end. gunicorn, the workers and the bench's redis-server are stopped however the run ends
(finished, failed, Ctrl+C or SIGTERM). Their logs are left in bench/results/.
"""

import argparse
import csv
import io
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
import uuid
from contextlib import ExitStack
from datetime import timedelta
from pathlib import Path

from bench_load import RESULTS, free_port, gunicorn_start, server_env, stop
from common import PG_SERVER, ROOT, drop_database, report, setup_django, timed

DATABASE = os.environ.get("BENCH_RESILIENCE_DB", "bench_resilience")
# Jobs sent by the web servers wait here (no worker takes them); the probe-2 workers have a queue of their own.
WEB_QUEUE = "bench-resilience-web"
WORKER_QUEUE = f"bench-resilience-{uuid.uuid4().hex[:8]}"
BOUND_SECONDS = 2.0
HYPERLINK = '=HYPERLINK("http://x","y")'
HOSTILE = {
    "contract title": HYPERLINK,
    "provider name": "+" + HYPERLINK[1:],
    "contract description": "-" + HYPERLINK[1:],
    "rating reasons": "@" + HYPERLINK[1:],
    "kpi name": "\t" + HYPERLINK,
    "dfe description": "\r" + HYPERLINK,
}
LOCKOUT_USER = "viewer"
ATTACKER, COLLEAGUE = "203.0.113.5", "198.51.100.7"
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Browser:
    """One person's requests session through the TLS proxy the bench imitates: X-Forwarded-Proto: https (and an
    X-Forwarded-For the proxy wrote, if given), an https Referer on forms, the Secure cookies sent back over the
    local plain-HTTP connection. Every request is timed and kept in `log` as (label, status, seconds)."""

    def __init__(self, host: str, *, forwarded_for: str | None = None):
        import requests

        self.host = host
        self.session = requests.Session()
        self.session.headers["X-Forwarded-Proto"] = "https"
        if forwarded_for:
            self.session.headers["X-Forwarded-For"] = forwarded_for
        self.log: list[tuple[str, int, float]] = []
        self.last_html = ""

    def request(self, method: str, path: str, label: str = "", **kwargs):
        headers = {"Referer": "https" + self.host.removeprefix("http") + path.split("?")[0]}
        if method == "POST":
            token = CSRF_FIELD.search(self.last_html)
            kwargs.setdefault("data", {})["csrfmiddlewaretoken"] = (
                token.group(1) if token else self.session.cookies.get("csrftoken", ""))
        started = time.perf_counter()
        response = self.session.request(method, self.host + path, headers=headers, allow_redirects=False,
                                        timeout=60, **kwargs)
        seconds = time.perf_counter() - started
        for cookie in self.session.cookies:  # the proxy would pass the Secure cookies on
            cookie.secure = False
        if "text/html" in response.headers.get("Content-Type", ""):
            self.last_html = response.text
        self.log.append((label or f"{method} {path}", response.status_code, seconds))
        return response

    def get(self, path: str, label: str = ""):
        return self.request("GET", path, label)

    def post(self, path: str, data: dict, label: str = "", **kwargs):
        return self.request("POST", path, label, data=dict(data), **kwargs)

    def sign_in(self, username: str, password: str, label: str = "sign in (POST /sign-in/)"):
        self.get("/sign-in/", "sign-in page")
        return self.post("/sign-in/", {"username": username, "password": password}, label)


# --- the bench's own Redis ---


def redis_server_start(cleanup: ExitStack) -> tuple[str, subprocess.Popen]:
    """A redis-server of the bench's own on a free port (never the machine's), answering; its URL and process."""
    from core.tests.redis_outage import redis_server_launch

    port = free_port()
    try:
        process = redis_server_launch(port, start_new_session=True)
    except OSError:
        raise SystemExit(f"redis-server did not start on port {port}") from None
    cleanup.callback(redis_server_stop, process)
    return f"redis://127.0.0.1:{port}", process


def redis_server_stop(process: subprocess.Popen):
    if process.poll() is None:
        os.kill(process.pid, signal.SIGCONT)  # a stopped process would not act on SIGTERM
    stop(process, group=False)


# --- servers and workers ---


def production_env(redis_url: str, **extra) -> dict:
    """bench_load's production settings, with the cache and the broker at redis_url (the bench's own Redis, or a
    port nothing listens on), never the machine's Redis."""
    return server_env() | {"REDIS_URL": f"{redis_url}/0", "CACHE_REDIS_URL": f"{redis_url}/1",
                           "CELERY_BROKER_URL": f"{redis_url}/0", **extra}


def server_start(cleanup: ExitStack, name: str, redis_url: str, **extra) -> tuple[str, subprocess.Popen, list]:
    """gunicorn as in the Dockerfile with production settings, the cache and the broker at redis_url; its address,
    process and command."""
    env = production_env(redis_url, CELERY_TASK_DEFAULT_QUEUE=WEB_QUEUE, **extra)
    host, process, command = gunicorn_start(cleanup, env, RESULTS / f"resilience-gunicorn-{name}.log")
    shown = {k: v for k, v in env.items() if k in extra or k in ("REDIS_URL", "CACHE_REDIS_URL", "PRODUCTION")}
    return host, process, [*(f"{k}={v}" for k, v in sorted(shown.items())), "gunicorn", *command[1:]]


def worker_start(cleanup: ExitStack, name: str, redis_url: str, queue: str, **extra) -> dict:
    """A Celery worker as production runs one (prefork, its own child process per task, so the time limits apply),
    on a private queue, to which a build it sends again also goes. Wait for it with worker_ready."""
    from django.utils import timezone

    env = production_env(redis_url, CELERY_TASK_DEFAULT_QUEUE=queue, **extra)
    command = [sys.executable, "-m", "celery", "-A", "commissioning", "worker", "--loglevel=INFO",
               "--pool=prefork", "--concurrency=1", "-Q", queue, "-n", f"{name}@%h",
               "--without-gossip", "--without-mingle", "--without-heartbeat"]
    log_path = RESULTS / f"resilience-worker-{name}.log"
    log = open(log_path, "w")
    cleanup.callback(log.close)
    started = timezone.now()
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)
    cleanup.callback(stop, process, group=True)
    return {"name": name, "process": process, "log": log_path, "started": started, "queue": queue,
            "hostname": f"{name}@{socket.gethostname()}",
            "command": [*(f"{k}={v}" for k, v in sorted(extra.items())), "celery", *command[3:]]}


def worker_ready(worker: dict):
    """Once the worker has said it takes tasks (its start-up heartbeat)."""
    from core.models import WorkerHeartbeat

    if not wait_for(lambda: WorkerHeartbeat.objects.filter(hostname=worker["hostname"],
                                                           last_seen__gte=worker["started"]).exists(),
                    seconds=90, process=worker["process"]):
        raise SystemExit(f"the Celery worker {worker['name']} did not start; see {worker['log']}")


def wait_for(predicate, *, seconds: float, process: subprocess.Popen | None = None, interval: float = 0.2) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        if process is not None and process.poll() is not None:
            return False
        time.sleep(interval)
    return predicate()


def log_counts(path: Path) -> str:
    text = path.read_text(errors="replace")
    return f"{text.count('Traceback')} / {text.count('WORKER TIMEOUT')}"


# --- data ---


def demo_data_create():
    from django.core.management import call_command

    call_command("seed_demo", stdout=io.StringIO())


def hostile_records_create() -> dict:
    """Text a spreadsheet would run, in records every export shows; the records the downloads need."""
    from datetime import date

    from contracts.exports import transparency_queryset
    from kpis.models import Indicator
    from market.models import ContractPerformanceAssessment
    from placements.models import DfeCheck, DfeFinding

    # A contract in the Transparency Code file both today and on the day tests/test_exports_guarded.py asks for.
    published = set(transparency_queryset(as_of=date(2025, 6, 1)).values_list("pk", flat=True))
    contract = transparency_queryset(as_of=date.today()).filter(pk__in=published).first()
    contract.title, contract.description = HOSTILE["contract title"], HOSTILE["contract description"]
    contract.save(update_fields=["title", "description"])
    contract.provider.name = HOSTILE["provider name"]
    contract.provider.save(update_fields=["name"])
    ContractPerformanceAssessment.objects.filter(
        pk=ContractPerformanceAssessment.objects.order_by("pk").values("pk")[:1]
    ).update(reasons=HOSTILE["rating reasons"])
    Indicator.objects.filter(pk=Indicator.objects.filter(active=True).order_by("pk").values("pk")[:1]).update(
        name=HOSTILE["kpi name"])
    check = DfeCheck.objects.create(status="done", collection_year=date.today().year)
    DfeFinding.objects.create(check_run=check, rule_code="+101", description=HOSTILE["dfe description"],
                              row_count=1, rows=[["=episodes", 2, "-CHILD1"]])
    return {"check": check}


def outage_targets() -> dict:
    """The pages probe 1 opens: a finance line of this financial year, a monthly KPI of the commissioner's."""
    from django.utils import timezone

    from core.periods import financial_year_of
    from finance.models import BudgetLine
    from kpis.models import Indicator

    year = financial_year_of(timezone.localdate())
    line = BudgetLine.objects.filter(financial_year=year).order_by("code").first()
    indicator = (Indicator.objects.filter(active=True, frequency="monthly", owner__username="commissioner")
                 .order_by("code").first()
                 or Indicator.objects.filter(active=True, frequency="monthly").order_by("code").first())
    return {"line": f"/finance/lines/{line.financial_year}/{line.code}/", "kpi": indicator.pk}


# --- probe 1: Redis stopped or hung ---


def contracts_file(tag: str) -> bytes:
    """The suite's good contracts register, with references of this run's own so it always creates two."""
    from contracts.tests.test_imports import GOOD

    return GOOD.replace("RBC-10", f"RBC-{tag}-").encode()


def outage_probe(host: str, targets: dict, name: str) -> list:
    """Sign in and use the service as a commissioner, each request timed."""
    from core.demo import DEMO_PASSWORD
    from core.models import PendingTask

    tag = f"{name[0].upper()}{uuid.uuid4().hex[:4]}"
    outbox_before = PendingTask.objects.count()
    load_before = os.getloadavg()[0]
    browser = Browser(host)
    rows, timed_requests = [], set()

    def timed_row(label, response):
        timed_requests.add(len(browser.log) - 1)
        status, seconds = browser.log[-1][1], browser.log[-1][2]
        rows.append((f"  {label}", f"{status}, {seconds:.2f} s", f"200/302, <= {BOUND_SECONDS:.0f} s"))

    timed_row("sign in (POST /sign-in/)", browser.sign_in("commissioner", DEMO_PASSWORD))
    timed_row("home page /", browser.get("/"))
    timed_row("/finance/", browser.get("/finance/"))
    timed_row(f"finance line {targets['line']}", browser.get(targets["line"]))
    form = f"/kpis/{targets['kpi']}/values/new/"
    browser.get(form, "KPI value form")
    period = re.search(r'<option value="(\d{4}-\d\d-\d\d)"', browser.last_html)
    saved = browser.post(form, {"period_end": period.group(1) if period else "", "value": "30"})
    timed_row(f"KPI value save (POST {form})", saved)
    if saved.status_code == 302:
        browser.get(saved.headers["Location"], "KPI page after the save")
        told = "which is not available just now" in browser.last_html
        rows.append(("    the commissioner is told the recompute waits", "yes" if told else "no", "report"))
    browser.get("/contracts/import/", "contracts import page")
    check = browser.post("/contracts/import/", {}, files={"file": (f"register-{tag}.csv", contracts_file(tag))})
    timed_row("contracts upload: check (POST /contracts/import/)", check)
    digest = re.search(r'name="confirm" value="([0-9a-f]{64})"', check.text)
    confirm = browser.post("/contracts/import/", {"confirm": digest.group(1) if digest else ""})
    timed_row("contracts upload: confirm", confirm)
    if confirm.status_code == 302:
        browser.get(confirm.headers["Location"], "register after the import")
        imported = re.search(r"register-\w+\.csv imported: [^<]*", browser.last_html)
        rows.append(("    the page says", imported.group(0) if imported else "no import message", "2 created"))
    others = [entry for n, entry in enumerate(browser.log) if n not in timed_requests]
    rows.append(("  every other request on the way: count, statuses, max s",
                  f"{len(others)}, {' '.join(sorted({str(s) for _, s, _ in others}))}, "
                  f"{max((s for *_, s in others), default=0):.2f}", "no 500"))
    rows.append(("  jobs kept in the outbox for the broker", f"{PendingTask.objects.count() - outbox_before}", "> 0"))
    rows.append(("  machine load average (1 min) before / after",
                 f"{load_before:.1f} / {os.getloadavg()[0]:.1f}", f"{os.cpu_count()} cores"))
    return rows


# --- probe 4: exports ---


def exports_probe(host: str, records: dict, redis_url: str) -> list:
    """Every download URL the suite walks, as the role that may; every export_* command."""
    from django.core.management import get_commands
    from openpyxl import load_workbook

    from core.demo import DEMO_PASSWORD
    from tests.test_exports_guarded import (
        DANGEROUS_START,
        NOT_SPREADSHEETS,
        _download_urls,
        _export_url_names,
        _is_number,
    )

    browsers = {}
    for who in ("commissioner", "placements"):
        browsers[who] = Browser(host)
        browsers[who].sign_in(who, DEMO_PASSWORD)

    def cells_of(content: bytes, content_type: str):
        if content_type.startswith("text/csv"):
            yield from (cell for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))) for cell in row)
            return
        for sheet in load_workbook(io.BytesIO(content)).worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    yield ("formula", cell.value) if cell.data_type == "f" else cell.value

    files = cells = guarded = 0
    unsafe, problems, without_hostile = [], [], []

    def check(where: str, content: bytes, content_type: str):
        nonlocal files, cells, guarded
        files += 1
        found = 0
        for cell in cells_of(content, content_type):
            cells += 1
            if isinstance(cell, tuple) or (isinstance(cell, str) and cell.startswith(DANGEROUS_START)
                                           and not _is_number(cell)):
                unsafe.append((where, cell))
            if isinstance(cell, str) and cell.lstrip("'") in HOSTILE.values():
                found += 1
        guarded += found
        if not found:
            without_hostile.append(where)

    downloads = _download_urls(records)
    for _, url, who in downloads:
        response = browsers[who].get(url)
        if response.status_code != 200 or not response.headers.get("Content-Disposition", "").startswith("attachment"):
            problems.append(f"{url}: HTTP {response.status_code}")
            continue
        check(url, response.content, response.headers["Content-Type"])
    commands = sorted(name for name in get_commands() if name.startswith("export_") and name not in NOT_SPREADSHEETS)
    env = production_env(redis_url)
    for name in commands:
        output = RESULTS / f"resilience-{name}.csv"
        subprocess.run([sys.executable, "manage.py", name, "--output", str(output)], cwd=ROOT, env=env, check=True,
                       capture_output=True)
        check(f"manage.py {name}", output.read_bytes(), "text/csv")
    not_walked = _export_url_names() - {"placements:import_903_template"} - {name for name, _, _ in downloads}
    rows = [
        ("files checked (URLs as commissioner / placements, commands)",
         f"{len(downloads) - len(problems)} + {len(commands)}", f"{len(downloads)} + {len(commands)}"),
        ("cells checked", f"{cells:,}", "-"),
        ("unsafe cells (= + - @ tab CR, not a number; formulas)", f"{len(unsafe)}", "0"),
        ("hostile values found, quoted", f"{guarded}", "> 0 in every file"),
        ("files without a hostile value (prove nothing)", ", ".join(without_hostile) or "none", "none"),
        ("downloads refused or not attachments", "; ".join(problems) or "none", "none"),
        ("export URLs the walk misses", ", ".join(sorted(not_walked)) or "none", "none"),
    ]
    rows += [(f"  unsafe: {where}", repr(cell)[:40], "") for where, cell in unsafe[:5]]
    rows += [(f"  {who}: {label}", f"{status}, {s:.2f} s", "200")
             for who, b in browsers.items() for label, status, s in b.log if "sign" not in label]
    return rows


# --- probe 3: lockout ---


def _page(html: str) -> str:
    """A page without what changes from one answer to the next (tokens, nonces, the username typed)."""
    return re.sub(r'(value|nonce|content)="[^"]*"', r'\1=""', html)


def lockout_probe(host: str) -> list:
    from axes.utils import reset

    from core.demo import DEMO_PASSWORD

    reset(ip=ATTACKER)  # what an earlier run (--reuse) left

    def attempts(username: str) -> tuple[list[int], object]:
        browser = Browser(host, forwarded_for=ATTACKER)
        statuses = [browser.sign_in(username, f"wrong-password-{n}").status_code for n in range(6)]
        return statuses, browser

    wrong, attacker = attempts(LOCKOUT_USER)
    locked = attacker.sign_in(LOCKOUT_USER, DEMO_PASSWORD)
    locked_in = attacker.get("/").status_code == 200
    wrong_none, nobody = attempts("no-such-user")
    nobody_answer = nobody.sign_in("no-such-user", DEMO_PASSWORD)
    same = _page(locked.text) == _page(nobody_answer.text)
    colleague = Browser(host, forwarded_for=COLLEAGUE)
    signed = colleague.sign_in(LOCKOUT_USER, DEMO_PASSWORD)
    colleague_in = colleague.get("/").status_code == 200
    title = re.search(r"<h1[^>]*>([^<]+)</h1>", locked.text)
    return [
        (f"6 wrong passwords for {LOCKOUT_USER} from {ATTACKER}: statuses", " ".join(map(str, wrong)),
         "429 from the 5th"),
        (f"right password from {ATTACKER}: status", f"{locked.status_code}", "not signed in"),
        ("  its page says", title.group(1).strip() if title else "-", "Too many attempts"),
        ("  signed in after it", "yes" if locked_in else "no", "no"),
        ("same 7 tries for a username that does not exist: statuses",
         " ".join(map(str, wrong_none)) + f" / {nobody_answer.status_code}", "the same"),
        ("  the two locked pages differ", "no (identical)" if same else "yes", "no"),
        (f"right password from {COLLEAGUE}: status", f"{signed.status_code} -> {signed.headers.get('Location', '')}",
         "302 -> /"),
        ("  signed in", "yes" if colleague_in else "no", "yes"),
    ]


# --- probe 2: stalled and lost report builds ---


def history(run) -> str:
    rows = list(run.history.order_by("history_date", "history_id").values_list("status", "history_date"))
    if not rows:
        return "-"
    start = rows[0][1]
    return ", ".join(f"{status} {(when - start).total_seconds():.1f}s" for status, when in rows)


def soft_limit_signals(log_path: Path) -> int:
    return log_path.read_text(errors="replace").count("Soft time limit")


def worker_stuck(log_path: Path) -> str:
    """What the worker's log says when a run never ends: how many tasks it received and how many it finished."""
    text = log_path.read_text(errors="replace")
    received = text.count("] received")
    finished = len(re.findall(r"succeeded in|raised unexpected|SoftTimeLimitExceeded", text))
    return f"worker received {received} task(s), finished {finished}"


def jobs_probe(cleanup: ExitStack, redis_url: str) -> tuple[list, list]:
    """The rows, and the workers' commands."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from commissioning.celery import app
    from core.periods import Quarter
    from reports.models import ReportRun
    from reports.services import BUILD_TASK, report_run_request

    app.conf.task_always_eager = False
    quarter = Quarter.last_closed(timezone.localdate())
    committee = get_user_model().objects.get(username="committee")
    rows, commands = [], []

    def ends(run, process) -> tuple[bool, float]:
        started = time.perf_counter()
        ended = wait_for(lambda: ReportRun.objects.filter(pk=run.pk, status__in=["failed", "complete"]).exists(),
                         seconds=120, process=process)
        run.refresh_from_db()
        return ended, time.perf_counter() - started

    # Both workers start together (each on a queue of its own), to save a start-up on this busy machine.
    limits = {"REPORTS_TASK_SOFT_TIME_LIMIT": "1", "REPORTS_TASK_TIME_LIMIT": "30"}
    limited = worker_start(cleanup, "resilience-limited", redis_url, WORKER_QUEUE, REPORTS_AUTOMATIC_RETRIES="1",
                           **limits)
    normal = worker_start(cleanup, "resilience-normal", redis_url, f"{WORKER_QUEUE}-lost")
    commands += [limited["command"], normal["command"]]

    # A build that outlasts its soft time limit, twice.
    worker_ready(limited)
    # Celery puts the sending process's time limits for the task in each message, and the worker applies those:
    # the request is made as a web process with the worker's settings sends it.
    app.loader.import_default_modules()  # the apps' tasks modules, as the outbox does before sending
    build = app.tasks[BUILD_TASK]
    saved = build.soft_time_limit, build.time_limit
    build.soft_time_limit, build.time_limit = int(limits["REPORTS_TASK_SOFT_TIME_LIMIT"]), int(
        limits["REPORTS_TASK_TIME_LIMIT"])
    build._exec_options = None  # Celery's cache of them
    try:
        run = report_run_request(kind="pack", period=quarter.code, requested_by=committee)
        ended, seconds = ends(run, limited["process"])
    finally:
        build.soft_time_limit, build.time_limit = saved
        build._exec_options = None
    if ended:
        rows.append((f"pack ({quarter.code}) requested -> {run.status} (s)", f"{seconds:.1f}", "failed, < 60"))
        rows.append(("  reason", run.error or "-", "the time limit"))
    else:
        rows.append(("pack requested -> NOT ENDED within 120 s", f"status {run.status}", "failed, < 60"))
        rows.append(("  the worker did not end the run", worker_stuck(limited["log"]), ""))
    rows.append(("  status history (s from the request)", history(run), "queued running queued running failed"))
    rows.append(("  attempts / automatic retries", f"{run.attempts} / {run.automatic_retries}", "2 / 1"))
    signals = soft_limit_signals(limited["log"])
    rows.append(("  soft time limit signals in the worker's log", f"{signals}", "2"))
    if signals and run.status == ReportRun.Status.COMPLETE:
        rows.append(("  THE LIMIT FIRED BUT THE BUILD WENT ON TO COMPLETE", f"{run.attempts} attempt(s)", "stopped"))
    stop(limited["process"], group=True)

    # A run whose message never reached the broker.
    worker_ready(normal)
    lost = report_run_request(kind="pack", period=quarter.code, requested_by=committee, queue=False)
    minutes = settings.REPORTS_QUEUED_LOST_MINUTES
    ReportRun.objects.filter(pk=lost.pk).update(queued_at=timezone.now() - timedelta(minutes=minutes + 1))
    # Sent as beat sends it every minute.
    schedule = settings.CELERY_BEAT_SCHEDULE["reports-restart-stalled"]
    app.send_task(schedule["task"], queue=normal["queue"], **schedule.get("options", {}))
    ended, seconds = ends(lost, normal["process"])
    if ended:
        rows.append((f"run queued {minutes + 1} min ago, never sent: sweep -> {lost.status} (s)", f"{seconds:.1f}",
                     "complete"))
        rows.append(("  pages / build (s)",
                     f"{lost.page_count} / {(lost.finished_at - lost.started_at).total_seconds():.1f}", ""))
    else:
        rows.append((f"run queued {minutes + 1} min ago: NOT BUILT within 120 s", f"status {lost.status}", "complete"))
        rows.append(("  the worker did not end the run", worker_stuck(normal["log"]), ""))
    rows.append(("  status history (s from the request)", history(lost), "queued queued running complete"))
    stop(normal["process"], group=True)
    rows.append(("worker tracebacks in their logs (limited / normal)", " / ".join(
        str(w["log"].read_text(errors="replace").count("Traceback")) for w in (limited, normal)), "0 / 0"))
    return rows, commands


def _sigterm(signum, frame):
    raise SystemExit(f"stopped by signal {signum}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", action="store_true", help="keep the database for a later --reuse")
    parser.add_argument("--reuse", action="store_true", help="reuse the database a --keep run left")
    args = parser.parse_args()
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _sigterm)
    signal.signal(signal.SIGHUP, _sigterm)
    RESULTS.mkdir(parents=True, exist_ok=True)
    bench_started = time.perf_counter()

    with ExitStack() as cleanup:
        redis_url, redis_process = redis_server_start(cleanup)
        # The bench process sends the probe-2 jobs to its own Redis, on the workers' queue.
        os.environ.update(CELERY_BROKER_URL=f"{redis_url}/0", CELERY_TASK_DEFAULT_QUEUE=WORKER_QUEUE,
                          DATABASE_URL=f"{PG_SERVER}/{DATABASE}")  # as setup_django sets it
        os.environ.pop("REDIS_URL", None)
        os.environ.pop("CACHE_REDIS_URL", None)
        # As the Dockerfile does at build time (the manifest static storage needs collected files), while the
        # database is migrated.
        collectstatic = subprocess.Popen([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
                                         cwd=ROOT, env=production_env(redis_url), start_new_session=True)
        cleanup.callback(stop, collectstatic, group=True)
        setup_django(DATABASE, fresh=not args.reuse)
        if not args.keep:
            cleanup.callback(drop_database, DATABASE)
        from django.contrib.auth import get_user_model

        seeded = args.reuse and get_user_model().objects.filter(username="commissioner").exists()
        _, seed_s = (None, 0.0) if seeded else timed(demo_data_create)
        records = hostile_records_create()
        targets = outage_targets()
        from django.db import connections

        connections.close_all()
        if collectstatic.wait():
            raise SystemExit("collectstatic failed")
        setup_s = time.perf_counter() - bench_started
        print(f"Resilience probes on the demo data (database ready in {setup_s:.0f} s"
              f"{'' if seeded else f', of which seeding {seed_s:.0f} s'})", flush=True)

        from core.tests.redis_outage import unreachable_url

        # 1a. Redis stopped: nothing listens where the cache and the broker are.
        down = unreachable_url().removesuffix("/0")
        host, server, stopped_cmd = server_start(cleanup, "stopped", down)
        stopped_rows = outage_probe(host, targets, "stopped")
        stop(server, group=True)
        stopped_rows.append(("  gunicorn tracebacks / worker timeouts in its log",
                             log_counts(RESULTS / "resilience-gunicorn-stopped.log"), "0 / 0"))

        # 3, 4, then 1b: one server with the bench's Redis answering, then hung.
        host, server, running_cmd = server_start(cleanup, "running", redis_url, TRUSTED_PROXY_COUNT="1",
                                                 OPEN_DATA_PUBLIC="true")
        export_rows = exports_probe(host, records, redis_url)
        lockout_rows = lockout_probe(host)
        os.kill(redis_process.pid, signal.SIGSTOP)
        hung_rows = outage_probe(host, targets, "hung")
        os.kill(redis_process.pid, signal.SIGCONT)
        stop(server, group=True)
        hung_rows.append(("  gunicorn tracebacks / worker timeouts in its log",
                          log_counts(RESULTS / "resilience-gunicorn-running.log"), "0 / 0"))
        connections.close_all()

        # 2. Stalled and lost report builds in a real worker.
        job_rows, worker_cmds = jobs_probe(cleanup, redis_url)
        connections.close_all()

    report("1. Redis stopped (cache and broker at a port nothing listens on): a commissioner over HTTP",
           stopped_rows)
    print(f"  server: $ {shlex.join(stopped_cmd)}")
    report("1. Redis hung (the bench's redis-server under SIGSTOP, the server already running): the same",
           hung_rows)
    print(f"  server: $ {shlex.join(running_cmd)}")
    print(f"  hung:   $ kill -STOP {redis_process.pid}  # redis-server {redis_url}")
    report("2. Stalled and lost committee pack builds in a prefork Celery worker (demo data)", job_rows)
    for command in worker_cmds:
        print(f"  worker: $ {shlex.join(command)}")
    report(f"3. Sign-in lockout behind one proxy (X-Forwarded-For), AXES limit 5, user {LOCKOUT_USER}", lockout_rows)
    print(f"  server: $ {shlex.join(running_cmd)}")
    report("4. CSV and XLSX downloads over HTTP with text a spreadsheet would run", export_rows)
    print(f"  server: $ {shlex.join(running_cmd)}")
    print(f"\n  whole run: {time.perf_counter() - bench_started:.0f} s, of which the database {setup_s:.0f} s; "
          f"logs in {RESULTS.relative_to(ROOT)}/resilience-*")
    sys.stdout.flush()


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit("Resilience run interrupted: servers, workers and redis-server stopped, database dropped "
                 "(unless --keep).")
