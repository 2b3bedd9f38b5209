"""Money after the decision: performance statements (prestatiestaten),
payment requests, tranche payments (schijven), recoveries (terugvorderingen)
and collections (inningen)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cstraject.core.fields import MoneyField


class PerformanceStatement(models.Model):
    """What was delivered on a trajectory up to the end of `quarter` (cumulative)."""

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="statements")
    quarter = models.CharField(_("kwartaal"), max_length=6, help_text=_("Bv. 2021Q3."))
    delivered_man_days = models.DecimalField(_("geleverde mensdagen"), max_digits=7, decimal_places=1)
    delivered_amount = MoneyField(_("geleverd bedrag excl. btw"))
    reported_date = models.DateField(_("ingediend op"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("prestatiestaat")
        verbose_name_plural = _("prestatiestaten")
        ordering = ["dossier", "quarter"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "quarter"], name="one_statement_per_quarter"),
            models.CheckConstraint(name="delivered_amount_not_negative", condition=models.Q(delivered_amount__gte=0)),
            models.CheckConstraint(
                name="delivered_man_days_not_negative", condition=models.Q(delivered_man_days__gte=0)
            ),
        ]


class PaymentRequestStatus(models.TextChoices):
    REQUESTED = "requested", _("aangevraagd")
    APPROVED = "approved", _("goedgekeurd")
    REJECTED = "rejected", _("afgewezen")


class PaymentRequest(models.Model):
    """A provider's claim of one tranche for one dossier, with the statement behind it."""

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="payment_requests")
    statement = models.ForeignKey(PerformanceStatement, on_delete=models.PROTECT, related_name="payment_requests")
    tranche = models.PositiveSmallIntegerField(_("schijf"))
    amount = MoneyField(_("gevraagd bedrag"))
    status = models.CharField(
        _("status"), max_length=20, choices=PaymentRequestStatus.choices, default=PaymentRequestStatus.REQUESTED
    )
    requested_date = models.DateField(_("aangevraagd op"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("beslist op"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_reason = models.TextField(_("motivering"), blank=True)

    class Meta:
        verbose_name = _("betalingsaanvraag")
        verbose_name_plural = _("betalingsaanvragen")
        ordering = ["requested_date", "id"]
        indexes = [models.Index(fields=["status", "requested_date"])]
        constraints = [
            models.CheckConstraint(name="request_tranche_1_or_2", condition=models.Q(tranche__in=[1, 2])),
        ]


class Payment(models.Model):
    """A tranche paid. At most one per tranche per dossier: the database says so."""

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="payments")
    tranche = models.PositiveSmallIntegerField(_("schijf"))
    amount = MoneyField(_("bedrag"))
    payment_date = models.DateField(_("betaaldatum"))
    request = models.OneToOneField(
        PaymentRequest, null=True, blank=True, on_delete=models.PROTECT, related_name="payment"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("betaling")
        verbose_name_plural = _("betalingen")
        ordering = ["payment_date", "id"]
        indexes = [models.Index(fields=["payment_date"])]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "tranche"], name="one_payment_per_tranche"),
            models.CheckConstraint(name="payment_tranche_1_or_2", condition=models.Q(tranche__in=[1, 2])),
            models.CheckConstraint(name="payment_amount_positive", condition=models.Q(amount__gt=0)),
        ]


class Recovery(models.Model):
    """A recovery order (terugvordering): paid more than due."""

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="recoveries")
    amount = MoneyField(_("terug te vorderen bedrag"))
    reason = models.TextField(_("reden"))
    issued_date = models.DateField(_("verstuurd op"))
    due_date = models.DateField(_("te betalen tegen"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("terugvordering")
        verbose_name_plural = _("terugvorderingen")
        ordering = ["issued_date", "id"]
        # The controller's overview, newest first (web.selectors.recoveries_overview).
        indexes = [models.Index(fields=["issued_date", "id"], name="recovery_overview")]
        constraints = [models.CheckConstraint(name="recovery_amount_positive", condition=models.Q(amount__gt=0))]


class Collection(models.Model):
    """Money received against a recovery order (inning), partial ones included."""

    recovery = models.ForeignKey(Recovery, on_delete=models.PROTECT, related_name="collections")
    amount = MoneyField(_("geïnd bedrag"))
    collected_date = models.DateField(_("geïnd op"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("inning")
        verbose_name_plural = _("inningen")
        ordering = ["collected_date", "id"]
        constraints = [models.CheckConstraint(name="collection_amount_positive", condition=models.Q(amount__gt=0))]


class Settlement(models.Model):
    """The final settlement (afrekening) of a finished or stopped trajectory, approved by a case handler.

    Due = grant x delivered / quoted (capped at the grant; for a stopped trajectory the call's
    `stopped_settlement` rule); balance = due - (paid - already ordered back). A positive balance
    is paid as the last tranche (`payment`), a negative one becomes a recovery order (`recovery`).
    The figures and the arithmetic are stored as they were approved.
    """

    dossier = models.OneToOneField("dossiers.Dossier", on_delete=models.PROTECT, related_name="settlement")
    statement = models.ForeignKey(
        PerformanceStatement, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rule = models.CharField(_("regel"), max_length=40)
    quoted_amount = MoneyField(_("offerte excl. btw"))
    delivered_amount = MoneyField(_("geleverd excl. btw"))
    subsidy_amount = MoneyField(_("steunbedrag"))
    due_amount = MoneyField(_("verschuldigd"))
    paid_amount = MoneyField(_("betaald"))
    ordered_back_amount = MoneyField(_("al teruggevorderd"))
    balance = MoneyField(_("saldo"))  # > 0: still to pay; < 0: to recover
    explanation = models.TextField(_("berekening"))
    payment = models.OneToOneField(Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="settlement")
    recovery = models.OneToOneField(
        Recovery, null=True, blank=True, on_delete=models.PROTECT, related_name="settlement"
    )
    approved_date = models.DateField(_("goedgekeurd op"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("afrekening")
        verbose_name_plural = _("afrekeningen")
        ordering = ["approved_date", "id"]
        constraints = [
            models.CheckConstraint(
                name="settlement_due_within_grant",
                condition=models.Q(due_amount__lte=models.F("subsidy_amount")) & models.Q(due_amount__gte=0),
            ),
        ]
