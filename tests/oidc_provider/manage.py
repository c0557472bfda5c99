"""A real OpenID Connect provider (django-oauth-toolkit) for the council sign-in tests: `manage.py migrate`,
`manage.py provision < people.json`, `manage.py runserver 127.0.0.1:PORT --noreload`. Its database, RSA key
and address come from the environment (provider_settings.py); tests/test_council_sign_in.py starts it."""

import os
import sys
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    # Not setdefault: the test process that starts this has the service's own settings module in its environment.
    os.environ["DJANGO_SETTINGS_MODULE"] = "provider_settings"
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
