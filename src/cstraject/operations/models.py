"""The outbox: every e-mail cstraject sends, recorded before it is sent (in the transaction of
the change it announces) and updated with each attempt."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    QUOTE_CONFIRMATION = "quote_confirmation", _("offerte wacht op bevestiging door de kmo")
    FINAL_REPORT_COSIGN = "final_report_cosign", _("eindverslag wacht op medeondertekening door de kmo")
    DECISION_APPROVED = "decision_approved", _("beslissing: goedgekeurd")
    DECISION_REJECTED = "decision_rejected", _("beslissing: geweigerd")
    PAYMENT = "payment", _("betaling")
    PAYMENT_REQUEST_REFUSED = "payment_request_refused", _("betalingsaanvraag geweigerd")
    RECOVERY = "recovery", _("terugvordering")
    FOLLOW_UP = "follow_up", _("opvolgingsbevraging")
    CONTROL_SAMPLE = "control_sample", _("controlesteekproef getrokken")


class NotificationStatus(models.TextChoices):
    PENDING = "pending", _("te versturen")
    SENT = "sent", _("afgeleverd")
    FAILED = "failed", _("mislukt, wordt opnieuw geprobeerd")
    GIVEN_UP = "given_up", _("mislukt, opgegeven")


class Notification(models.Model):
    dossier = models.ForeignKey(
        "dossiers.Dossier", null=True, blank=True, on_delete=models.PROTECT, related_name="notifications"
    )
    audit_event = models.ForeignKey(
        "audit.AuditEvent", null=True, blank=True, on_delete=models.PROTECT, related_name="notifications"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="notifications"
    )
    to_address = models.EmailField(_("aan"))
    kind = models.CharField(_("soort"), max_length=30, choices=NotificationKind.choices)
    language = models.CharField(_("taal"), max_length=5, default="nl")
    subject = models.CharField(_("onderwerp"), max_length=200)
    body = models.TextField(_("tekst"))
    created_at = models.DateTimeField(_("aangemaakt op"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=10, choices=NotificationStatus.choices, default=NotificationStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("pogingen"), default=0)
    last_attempt_at = models.DateTimeField(_("laatste poging"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("volgende poging"), null=True, blank=True)
    sent_at = models.DateTimeField(_("afgeleverd op"), null=True, blank=True)
    last_error = models.CharField(_("laatste fout"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("bericht")
        verbose_name_plural = _("berichten")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.kind} -> {self.to_address} ({self.status})"


class LetterKind(models.TextChoices):
    DECISION_APPROVED = "decision_approved", _("beslissingsbrief: goedkeuring")
    DECISION_REJECTED = "decision_rejected", _("beslissingsbrief: weigering")
    PAYMENT_NOTICE = "payment_notice", _("betalingsbericht")
    RECOVERY_NOTICE = "recovery_notice", _("terugvorderingsbrief")


class ImmutableLetterError(Exception):
    """A letter once issued is never changed or deleted."""


class LetterQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableLetterError("Letters are immutable once issued.")

    def delete(self):
        raise ImmutableLetterError("Letters are immutable once issued.")


def letter_upload_to(instance: "Letter", filename: str) -> str:
    return f"letters/{instance.dossier.reference}/{instance.kind}-{instance.sha256[:16]}.docx"


class Letter(models.Model):
    """A letter issued for a dossier (DOCX), stored once with its SHA-256; never changed."""

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="letters")
    audit_event = models.OneToOneField("audit.AuditEvent", on_delete=models.PROTECT, related_name="letter")
    kind = models.CharField(_("soort"), max_length=20, choices=LetterKind.choices)
    language = models.CharField(_("taal"), max_length=5, default="nl")
    title = models.CharField(_("titel"), max_length=200)
    file = models.FileField(_("bestand"), upload_to=letter_upload_to)
    sha256 = models.CharField(max_length=64)
    size_bytes = models.PositiveIntegerField(_("grootte (bytes)"))
    issued_at = models.DateTimeField(_("uitgegeven op"), default=timezone.now)
    # Set only by the retention rule, which removes the file; the row and its hash stay.
    erased_at = models.DateTimeField(_("gewist op"), null=True, blank=True)

    objects = LetterQuerySet.as_manager()

    class Meta:
        verbose_name = _("brief")
        verbose_name_plural = _("brieven")
        ordering = ["dossier", "issued_at", "id"]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ImmutableLetterError("Letters are immutable once issued.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableLetterError("Letters are immutable once issued.")

    def __str__(self) -> str:
        return self.title


class Erasure(models.Model):
    """What a retention rule erased of one dossier (one row per rule and dossier: a run is idempotent)."""

    rule = models.CharField(_("bewaarregel"), max_length=40)
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="erasures")
    erased_at = models.DateTimeField(_("gewist op"), default=timezone.now)
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("wissing")
        verbose_name_plural = _("wissingen")
        constraints = [models.UniqueConstraint(fields=["rule", "dossier"], name="one_erasure_per_rule_and_dossier")]
