"""`make run` (bin/run): the web server and a Celery worker start together and stop together on Ctrl+C or SIGTERM,
leaving no process behind and nothing in the repository's root; the address is printed once the server answers."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _env(**extra):
    # The filesystem broker, whatever the machine set: this worker must not take another's tasks from Redis.
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "CELERY_BROKER_URL", "DJANGO_SETTINGS_MODULE"}}
    return {**env, "CELERY_BROKER_URL": "filesystem://", **extra}


def test_every_folder_of_the_filesystem_broker_is_under_var():
    from kombu.transport.filesystem import Channel

    kombu_folders = {name for name in dir(Channel) if "folder" in name}
    assert kombu_folders >= {"data_folder_in", "data_folder_out", "processed_folder", "control_folder"}
    script = "import json, django; django.setup(); from django.conf import settings as s; " \
             "print(json.dumps([str(s.VAR_DIR), s.CELERY_BROKER_TRANSPORT_OPTIONS]))"
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60,
        env=_env(DJANGO_SETTINGS_MODULE="commissioning.settings"),
    )
    assert result.returncode == 0, result.stderr
    var_dir, options = json.loads(result.stdout.splitlines()[-1])
    for folder in kombu_folders:  # kombu's defaults are relative to the working directory: every one is set
        assert Path(options[folder]).is_relative_to(var_dir), folder


def _settings_process(script: str, **extra) -> subprocess.CompletedProcess:
    """Run `script` after django.setup() with the settings `make run` uses (no EMAIL_URL, not production)."""
    env = {k: v for k, v in _env(DJANGO_SETTINGS_MODULE="commissioning.settings").items()
           if k not in {"EMAIL_URL", "PRODUCTION", "DEBUG"}}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + script], cwd=ROOT, capture_output=True,
        text=True, timeout=60, env={**env, **extra},
    )
    assert result.returncode == 0, result.stderr
    return result


def test_the_filesystem_broker_gives_no_hostname_warning():
    # kombu warns "No hostname was supplied" whenever it reads a broker URL without a host.
    script = "from commissioning.celery import app\nwith app.connection_for_write() as c: print(c.as_uri(), c.info())"
    result = _settings_process(script)
    assert result.stdout.startswith("filesystem://")
    assert "No hostname" not in result.stderr + result.stdout


def test_without_email_settings_development_writes_each_email_to_a_file_under_var():
    script = (
        "from django.conf import settings as s; from django.core.mail import send_mail\n"
        "print(s.EMAIL_BACKEND, s.EMAIL_FILE_PATH, sep='\\n')\n"
        "s.PRODUCTION and send_mail('Provider alert: Ofsted judgement downgraded', 'Body', None, ['a@example.gov.uk'])"
    )
    assert _settings_process(script).stdout.splitlines() == [
        "django.core.mail.backends.filebased.EmailBackend", str(ROOT / "var" / "email")
    ]
    # Production with no EMAIL_URL prints to the log, where an operator looks.
    result = _settings_process(script, PRODUCTION="true", SECRET_KEY="p" * 60, ALLOWED_HOSTS="example.gov.uk")
    assert result.stdout.splitlines()[0] == "django.core.mail.backends.console.EmailBackend"
    assert "Subject: Provider alert: Ofsted judgement downgraded" in result.stdout
    # A configured EMAIL_URL is used as it is.
    result = _settings_process(script, EMAIL_URL="smtp+tls://user:pass@smtp.example.gov.uk:587")
    assert result.stdout.splitlines()[0] == "django.core.mail.backends.smtp.EmailBackend"


def _processes_in_session(sid: int) -> list[str]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        fields = text.rsplit(")", 1)[1].split()  # after "pid (comm)": state ppid pgrp session ...
        if int(fields[3]) == sid and fields[0] != "Z":
            found.append(text.split(")", 1)[0] + ")")
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc")
# One bin/run at a time: its beat keeps its schedule in var/celerybeat-schedule and its worker takes tasks from the
# filesystem broker's folders in var/, which a second one started by another test process would share.
@pytest.mark.xdist_group("bin-run")
@pytest.mark.parametrize("how", ["Ctrl+C", "SIGTERM"])
def test_run_stops_the_server_and_the_worker_and_leaves_nothing_behind(how, tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    control_existed = (ROOT / "control").exists()
    log = (tmp_path / "run.log").open("w+")
    env = _env(VENV=sys.prefix, PORT=str(port), STOP_TIMEOUT="20", DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    # Its own session, as a terminal would give it: every process it starts can be found, and none can escape.
    run = subprocess.Popen([ROOT / "bin" / "run"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                           start_new_session=True)
    address = f": open http://127.0.0.1:{port}/ and sign in with a demo user"
    try:
        deadline = time.monotonic() + 90
        announced = worker_up = False
        while not (announced and worker_up):
            assert run.poll() is None, log.seek(0) or log.read()
            assert time.monotonic() < deadline, "bin/run did not start both:\n" + (log.seek(0) or log.read())
            time.sleep(0.2)
            output = Path(log.name).read_text()
            if not announced and address in output:
                announced = True
                # The address is printed only once the server answers: asked at once, it answers.
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
                    assert response.status == 200
            worker_up = " ready." in output
        assert len(_processes_in_session(run.pid)) >= 4  # the script, runserver and its reloader, the worker
        output = Path(log.name).read_text()
        assert output.count(address) == 1
        assert "No hostname was supplied" not in output

        if how == "Ctrl+C":  # the terminal signals the foreground process group
            os.killpg(run.pid, signal.SIGINT)
        else:  # as `make` passes on a SIGTERM, or a process manager sends one
            run.send_signal(signal.SIGTERM)
        assert run.wait(timeout=40) == 0
        time.sleep(0.5)
        assert _processes_in_session(run.pid) == []
        assert "Stopped the web server and the Celery worker." in Path(log.name).read_text()
        if not control_existed:
            assert not (ROOT / "control").exists()
    finally:
        if run.poll() is None or _processes_in_session(run.pid):
            os.killpg(run.pid, signal.SIGKILL)  # the script's group; its children's groups are in its session
            for line in _processes_in_session(run.pid):
                os.kill(int(line.split()[0]), signal.SIGKILL)
        log.close()
