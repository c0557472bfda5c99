"""What the console shows for a refused request: one line for a 403 or a 404, a traceback only for a real error."""

import io
import logging

import pytest
from django.urls import reverse


@pytest.fixture
def console():
    """The text the console handler writes (the one settings.LOGGING gives the request loggers)."""
    handler = logging.getLogger("django.request").handlers[0]
    assert handler in logging.getLogger().handlers  # the same console as everything else
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


@pytest.mark.django_db
def test_a_403_logs_one_line_and_no_traceback(viewer_client, console):
    assert viewer_client.get(reverse("system_status")).status_code == 403
    assert viewer_client.post(reverse("contracts:create"), {}).status_code == 403
    assert console.getvalue().splitlines() == [
        "Forbidden (Permission denied): /system-status/",
        "Forbidden (Permission denied): /contracts/new/",
    ]


@pytest.mark.django_db
def test_a_404_logs_one_line_and_no_traceback(viewer_client, console):
    assert viewer_client.get("/no-such-page/").status_code == 404
    assert viewer_client.get(reverse("contracts:detail", args=[987654])).status_code == 404
    assert console.getvalue().splitlines() == ["Not Found: /no-such-page/", "Not Found: /contracts/987654/"]


def test_a_server_error_keeps_its_traceback(console):
    try:
        raise ValueError("a real fault")
    except ValueError as exc:
        logging.getLogger("django.request").error("Internal Server Error: /x/", exc_info=exc,
                                                  extra={"status_code": 500})
    lines = console.getvalue().splitlines()
    assert lines[0] == "Internal Server Error: /x/" and "Traceback (most recent call last):" in lines
    assert lines[-1] == "ValueError: a real fault"
