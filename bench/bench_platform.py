"""Dashboard server time and query count on an empty database and on the demo database (PostgreSQL)."""

from common import report, setup_django, view_timing

setup_django("bench_platform")

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from core.demo import demo_users_create  # noqa: E402

demo_users_create()
client = Client()
client.force_login(get_user_model().objects.get(username="commissioner"))
empty = view_timing(client, "/")
call_command("seed_demo", verbosity=0, stdout=open("/dev/null", "w"))
demo = view_timing(client, "/")
report(
    "Platform: home dashboard as the demo commissioner",
    [
        ("dashboard, empty database: median server time", f"{empty['median_ms']:.1f} ms", "-"),
        ("dashboard, empty database: queries", str(empty["queries"]), "same as demo"),
        ("dashboard, demo database: median server time", f"{demo['median_ms']:.1f} ms", "-"),
        ("dashboard, demo database: queries", str(demo["queries"]), "same as empty"),
    ],
)
