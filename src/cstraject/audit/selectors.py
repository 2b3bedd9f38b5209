from django.db.models import QuerySet

from .models import AuditEvent


def audit_trail_for_dossier(*, dossier) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(dossier=dossier).select_related("actor").order_by("occurred_at", "id")
