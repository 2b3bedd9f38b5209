"""Writing the audit trail. Call inside the same transaction as the change it
records, so there is never a change without its event or the reverse."""

from typing import Protocol

from django.db import models
from django.utils import timezone

from .models import AuditEvent


class Actor(Protocol):
    """Who acts, as the audit trail records it: `cstraject.accounts.actors.Actor` is one.

    A protocol, not an import: every app writes to the audit trail, so `audit`
    sits below `accounts` in the layers (docs/decisions/0006).
    """

    @property
    def label(self) -> str: ...
    @property
    def role(self) -> str: ...
    @property
    def user_id(self) -> int | None: ...


def audit_event_record(
    *,
    actor: Actor,
    action: str,
    dossier=None,
    company=None,
    from_status: str = "",
    to_status: str = "",
    reason: str = "",
    data: dict | None = None,
    occurred_at=None,
) -> AuditEvent:
    return AuditEvent.objects.create(
        occurred_at=occurred_at or timezone.now(),
        actor_id=actor.user_id,
        actor_label=actor.label,
        actor_role=str(actor.role),
        channel=str(getattr(actor, "channel", "") or "system"),
        os_user=(getattr(actor, "os_user", "") or "")[:150],
        action=action,
        dossier=dossier,
        company=company,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        data=data or {},
    )


# Keys of an event's data that can hold what a person wrote or is called (file names, names,
# free text); the figures, dates, statuses and amounts beside them are kept.
PERSONAL_KEYS = frozenset(
    {
        "original_name",
        "signatory",
        "provider_signatory",
        "sme_signatory",
        "feedback",
        "sme_feedback",
        "comment",
        "description",
        "scope",
        "conclusion",
        "improvements",
        "reason",
        "decision_reason",
        "email",
        "to_address",
        "name",
        "first_name",
        "last_name",
        "contact",
    }
)
ERASED = "[gewist]"


def _scrubbed(value):
    if isinstance(value, dict):
        return {
            key: (ERASED if key in PERSONAL_KEYS and isinstance(item, str) and item else _scrubbed(item))
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_scrubbed(item) for item in value]
    return value


def audit_events_anonymise(*, dossier_id: int, external_roles: tuple[str, ...], keep_action_key: str) -> int:
    """The one exception to append-only, for the retention rules (operations/retention.py): the events of an
    erased dossier keep who (staff and provider users), what, when, statuses and figures, but lose their free
    text (`reason`), the personal keys of their data, and the name of an external person who acted
    (`external_roles`, e.g. the SME contact). Events whose data has `keep_action_key` (the retention's own)
    stay as written. Idempotent; returns how many events changed. Call inside the erasure's transaction."""
    changed = 0
    events = AuditEvent.objects.filter(dossier_id=dossier_id).exclude(data__has_key=keep_action_key)
    for pk, reason, data, label, role in events.values_list("pk", "reason", "data", "actor_label", "actor_role"):
        values = {}
        if reason and reason != ERASED:
            values["reason"] = ERASED
        scrubbed = _scrubbed(data or {})
        if scrubbed != (data or {}):
            values["data"] = scrubbed
        if role in external_roles and label != ERASED:
            values["actor_label"] = ERASED
        if values:
            # AuditEventQuerySet refuses update(); the base QuerySet's is the sanctioned way here.
            models.QuerySet.update(AuditEvent.objects.filter(pk=pk), **values)
            changed += 1
    return changed
