"""gunicorn's settings for the Dockerfile's web process (`gunicorn -c gunicorn.conf.py`).

The app ends a slow request itself at REQUEST_TIMEOUT_SECONDS with the service's own page
(core/request_timeout.py); gunicorn's own timeout, which kills the worker and answers nothing, is kept above it so it
only catches a request stuck where Python cannot be interrupted.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
worker_class = "sync"  # the app's request time limit is a signal timer in the worker's main thread
request_timeout = int(os.environ.get("REQUEST_TIMEOUT_SECONDS", "50"))
# At least 15 seconds above the app's limit, whatever GUNICORN_TIMEOUT says.
timeout = max(int(os.environ.get("GUNICORN_TIMEOUT", "75")), request_timeout + 15)
graceful_timeout = 30
