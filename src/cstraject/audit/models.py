"""The append-only audit trail: every transition and money movement."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    TRANSITION = "transition", _("Statuswijziging")
    IMPORT = "import", _("Import")
    ELIGIBILITY = "eligibility", _("Subsidiabiliteitstoets")
    STATEMENT = "statement", _("Prestatiestaat")
    PAYMENT_REQUEST = "payment_request", _("Betalingsaanvraag")
    PAYMENT = "payment", _("Betaling")
    RECOVERY = "recovery", _("Terugvordering")
    COLLECTION = "collection", _("Inning")
    SETTLEMENT = "settlement", _("Afrekening")
    DOCUMENT = "document", _("Document")
    EDIT = "edit", _("Wijziging")
    CONFIGURATION = "configuration", _("Configuratie")
    ACCOUNT = "account", _("Gebruikersbeheer")
    MASTER_DATA = "master_data", _("Stamgegevens onderneming")
    CONTROL = "control", _("Controle")
    SCREENING = "screening", _("Risicoscreening")
    BACKUP = "backup", _("Back-up en herstel")
    JOB = "job", _("Achtergrondtaak")


class AppendOnlyError(Exception):
    """Audit events are never changed or deleted."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Audit events are append-only.")

    def delete(self):
        raise AppendOnlyError("Audit events are append-only.")


class AuditEvent(models.Model):
    occurred_at = models.DateTimeField(_("tijdstip"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="audit_events"
    )
    # Kept as text too, so the trail still reads when the user is renamed.
    actor_label = models.CharField(_("actor"), max_length=150)
    actor_role = models.CharField(_("rol"), max_length=20)
    # The door the change came through (web, cli, system) and, for cli and system, the
    # operating-system account that ran it: `--as` names the user, this names who typed it.
    channel = models.CharField(_("kanaal"), max_length=10, default="system")
    os_user = models.CharField(_("besturingssysteemgebruiker"), max_length=150, blank=True)
    action = models.CharField(_("handeling"), max_length=20, choices=AuditAction.choices)
    dossier = models.ForeignKey(
        "dossiers.Dossier", null=True, blank=True, on_delete=models.PROTECT, related_name="audit_events"
    )
    # Set for an event about a company (its master data), with or without a dossier.
    company = models.ForeignKey(
        "companies.Company", null=True, blank=True, on_delete=models.PROTECT, related_name="audit_events"
    )
    from_status = models.CharField(_("van"), max_length=20, blank=True)
    to_status = models.CharField(_("naar"), max_length=20, blank=True)
    reason = models.TextField(_("reden"), blank=True)
    data = models.JSONField(_("gegevens"), default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("auditgebeurtenis")
        verbose_name_plural = _("audittrail")
        ordering = ["occurred_at", "id"]
        indexes = [
            models.Index(fields=["dossier", "occurred_at"]),
            models.Index(fields=["company", "occurred_at"]),
        ]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit events are append-only.")

    def __str__(self) -> str:
        return (
            f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.from_status}->{self.to_status}"
        )
