"""Logging helpers named in settings.LOGGING."""

import logging


class ClientErrorsOnOneLine(logging.Filter):
    """Drop the traceback from a request that ended in a 4xx (a 403 from PermissionDenied, a 400): the request
    was refused as designed, so the console gets Django's one line ("Forbidden (Permission denied): /path") and
    a traceback stays the mark of a real error (5xx)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if 400 <= getattr(record, "status_code", 0) < 500:
            record.exc_info = None
            record.exc_text = None
        return True
