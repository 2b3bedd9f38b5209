"""Logging filters. Django logs a PermissionDenied with its traceback; a 403 is
an expected answer (a role without access, another tenant's object), so it is
logged as one line: status, method, path, user and the reason."""

import logging


class ForbiddenOneLine(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403 and record.exc_info:
            exception = record.exc_info[1]
            request = getattr(record, "request", None)
            user = getattr(getattr(request, "user", None), "username", "") or "-"
            reason = " ".join(str(exception or "").split())[:300]
            message = record.getMessage()
            record.msg = "%s (user %s): %s"
            record.args = (message, user, reason)
            record.exc_info = None
            record.exc_text = None
        return True
