"""Structured logs: one line per request (`cstraject.request`) and one per business event
(`cstraject.events`, every AuditEvent once its transaction commits), with the dossier
reference. `CSTRAJECT_LOG_FORMAT=json` writes each line as one JSON object, `text` (default)
as readable key=value pairs.

What is logged is chosen field by field, never a whole object: no query strings (search
terms may name people), no request bodies (passwords, documents), no free-text reasons,
no names; the user appears by id and role.
"""

import json
import logging
import time
from datetime import UTC, datetime

from django.db import transaction
from django.db.models.signals import post_save

request_logger = logging.getLogger("cstraject.request")
event_logger = logging.getLogger("cstraject.events")

# The structured fields a record may carry (passed through `extra=`); nothing else is written.
FIELDS = (
    "event",
    "method",
    "path",
    "status",
    "duration_ms",
    "user_id",
    "role",
    "dossier",
    "audit_id",
    "action",
    "from_status",
    "to_status",
    "channel",
)


def _fields(record: logging.LogRecord) -> dict:
    return {key: getattr(record, key) for key in FIELDS if getattr(record, key, None) not in (None, "")}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message and the structured fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            **_fields(record),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """The same content for a terminal: `time level logger message key=value ...`."""

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        extras = " ".join(f"{key}={value}" for key, value in _fields(record).items())
        return f"{line} {extras}" if extras else line


DOSSIER_ROUTES = ("dossiers/<int:pk>/", "dienstverlener/dossiers/<int:pk>/")


def _dossier_reference(request) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None or "pk" not in match.kwargs or not match.route.startswith(DOSSIER_ROUTES):
        return ""
    from cstraject.dossiers.models import Dossier

    return Dossier.objects.filter(pk=match.kwargs["pk"]).values_list("reference", flat=True).first() or ""


class RequestLogMiddleware:
    """One log line per request: method, path (without query string), status, duration, user id and
    role, the dossier's reference when the URL names a dossier."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        if request_logger.isEnabledFor(logging.INFO):
            actor = getattr(request, "actor", None)
            user = getattr(request, "user", None)
            request_logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "event": "request",
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "user_id": user.pk if user is not None and user.is_authenticated else None,
                    "role": str(actor.role) if actor is not None else None,
                    "dossier": _dossier_reference(request),
                },
            )
        return response


def _log_audit_event(event) -> None:
    dossier = event.dossier.reference if event.dossier_id else ""
    event_logger.info(
        "%s %s %s->%s",
        event.action,
        dossier,
        event.from_status,
        event.to_status,
        extra={
            "event": "audit",
            "audit_id": event.pk,
            "action": event.action,
            "dossier": dossier,
            "from_status": event.from_status,
            "to_status": event.to_status,
            "user_id": event.actor_id,
            "role": event.actor_role,
            "channel": event.channel,
        },
    )


def _on_audit_event_saved(sender, instance, created, **kwargs):
    if created and event_logger.isEnabledFor(logging.INFO):
        # Logged once the change is committed: a rolled-back change leaves no line.
        transaction.on_commit(lambda: _log_audit_event(instance))


def connect_business_events() -> None:
    from cstraject.audit.models import AuditEvent

    post_save.connect(_on_audit_event_saved, sender=AuditEvent, dispatch_uid="cstraject-log-audit-event")
