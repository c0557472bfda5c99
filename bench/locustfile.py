"""Signed-in users of every role browsing the pages their role may see, for bench/bench_load.py.

bench_load.py passes the plan in the LOAD_PLAN variable (JSON): the shared password, each demo user
with the pages that user may see, and the KPI ids for the KPI page. Users take the demo usernames in
turn, so every role has the same share. Each signs in through /sign-in/ with the CSRF token first,
then opens one of its pages every 5 to 15 seconds. Any answer but 200 is a failure: a role is never
sent to a page it may not see, so a 403 means something is wrong.

The server runs as in production (PRODUCTION=true) with TLS ended in front of it, which the users
imitate: X-Forwarded-Proto: https on every request, an https Referer on the sign-in form (Django's
CSRF check asks for one on a secure request), and the Secure session and CSRF cookies sent back over
the local plain-HTTP connection.
"""

import itertools
import json
import os
import random
import re

from locust import HttpUser, between, events, task

PLAN = json.loads(os.environ["LOAD_PLAN"])
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_usernames = itertools.cycle(sorted(PLAN["users"]))
# Every request's name, start (seconds since the epoch) and time, so bench_load.py can give the pages' figures
# apart from the sign-in burst and from the ramp-up.
_times = open(os.environ["LOAD_TIMES"], "w") if os.environ.get("LOAD_TIMES") else None


@events.request.add_listener
def _record(name, response_time, start_time=None, **kwargs):
    if _times is not None:
        _times.write(f"{name}\t{start_time or 0:.3f}\t{response_time:.1f}\n")


@events.quitting.add_listener
def _close(**kwargs):
    if _times is not None:
        _times.close()


class CouncilUser(HttpUser):
    wait_time = between(5, 15)

    def on_start(self):
        self.username = next(_usernames)
        self.pages = PLAN["users"][self.username]
        self.client.headers["X-Forwarded-Proto"] = "https"
        sign_in = self.client.get("/sign-in/", name="/sign-in/")
        self.send_secure_cookies_over_http()
        token = CSRF_FIELD.search(sign_in.text)
        with self.client.post(
            "/sign-in/", name="/sign-in/ (POST)", allow_redirects=False, catch_response=True,
            data={"username": self.username, "password": PLAN["password"],
                  "csrfmiddlewaretoken": token.group(1) if token else ""},
            headers={"Referer": "https" + self.host.removeprefix("http") + "/sign-in/"},
        ) as response:
            if response.status_code != 302:
                response.failure(f"{self.username} could not sign in: HTTP {response.status_code}")
        self.send_secure_cookies_over_http()
        self.open("/")

    def send_secure_cookies_over_http(self):
        """The proxy that ends TLS would pass the Secure cookies on; requests keeps them for https only."""
        for cookie in self.client.cookies:
            cookie.secure = False

    @task
    def browse(self):
        self.open(random.choice(self.pages))

    def open(self, page: str):
        path = page.format(kpi=random.choice(PLAN["kpis"]))
        with self.client.get(path, name=page, allow_redirects=False, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{self.username} ({PLAN['roles'][self.username]}): HTTP {response.status_code}")
        self.send_secure_cookies_over_http()
