"""Writing the audit trail. Call inside the same transaction as the change it
records, so there is never a change without its event or the reverse."""

from django.utils import timezone

from cstraject.accounts.actors import Actor

from .models import AuditEvent


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
