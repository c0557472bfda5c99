"""A request that runs too long ends with the service's own page, never gunicorn's bare one.

gunicorn kills a sync worker that has not answered within its `timeout` and the person gets no page at all (or
the proxy's bare 502/500). So the app stops a request itself a little earlier, REQUEST_TIMEOUT_SECONDS, and answers
with templates/504.html in the service's look; gunicorn's timeout (gunicorn.conf.py) is set above it, for the rare
request stuck where Python cannot be interrupted (inside one long database query).

The time limit is a SIGALRM timer, so it works only where signals do: in the main thread of a sync worker (how the
Dockerfile runs gunicorn). Elsewhere (runserver's threads, the test live server) the request runs unbounded. A timer
something else has set (e.g. a test's) is left alone. An open transaction is rolled back as for any error, so
nothing half-done is saved.
"""

from __future__ import annotations

import logging
import signal
import threading

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render

logger = logging.getLogger(__name__)

TOO_LONG = 504  # Gateway Timeout: what a proxy would have said, in the service's words


# Named for what happened, as KeyboardInterrupt is.
class RequestTimedOut(KeyboardInterrupt):
    """The request ran past REQUEST_TIMEOUT_SECONDS. A KeyboardInterrupt, so psycopg cancels a query it cuts off (as
    on Ctrl-C) and the connection stays usable, and no `except Exception` on the way swallows it."""


def _timed_out(signum, frame):
    raise RequestTimedOut


def _can_time(seconds: float) -> bool:
    return (seconds > 0 and hasattr(signal, "SIGALRM") and threading.current_thread() is threading.main_thread()
            and signal.getitimer(signal.ITIMER_REAL)[0] == 0)


def too_long_page(request) -> HttpResponse:
    try:
        return render(request, "504.html", status=TOO_LONG)
    except Exception:  # the page must be answered even if rendering it fails part-way
        logger.exception("The 504 page could not be rendered")
        return HttpResponse(
            "<!DOCTYPE html><title>Sorry, this is taking too long</title><h1>Sorry, this is taking too long</h1>"
            "<p>Nothing you entered has been saved unless you saw a confirmation. Try again later.</p>",
            status=TOO_LONG)


class RequestTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = float(settings.REQUEST_TIMEOUT_SECONDS)
        if not _can_time(seconds):
            return self.get_response(request)
        previous = signal.signal(signal.SIGALRM, _timed_out)
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            return self.get_response(request)
        except RequestTimedOut:
            signal.setitimer(signal.ITIMER_REAL, 0)  # nothing may interrupt the page that says so
            logger.error("%s %s ran past %s s and was stopped", request.method, request.path, seconds)
            return too_long_page(request)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
