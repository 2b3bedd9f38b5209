"""Controls (controles), their findings (bevindingen), the red-flag screening
and the control selection.

A control is a recorded act on a dossier: what kind of check, what triggered
it, when it was planned and performed, by whom, on what, and its outcome. The
standard checks of the lifecycle (eligibility at the decision, the statement
check before a payment) are recorded as controls too, so that question 2
counts what really happened.

The screening writes its results into a new `ScreeningRun`; only when the run
is complete does it become the current one, so an interrupted run leaves the
previous results intact.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cstraject.core.fields import MoneyField


class ControlKind(models.TextChoices):
    APPLICATION = "application", _("controle bij aanvraag")
    DESK_REVIEW = "desk_review", _("bureaucontrole prestatiestaat")
    FINAL_REPORT = "final_report", _("controle eindverslag")
    VISIT = "visit", _("controlebezoek (ter plaatse of op afstand)")
    EX_POST_AUDIT = "ex_post_audit", _("ex-postaudit (steekproef)")


class ControlTrigger(models.TextChoices):
    STANDARD = "standard", _("standaardstap")
    RISK = "risk", _("risicoselectie")
    RANDOM = "random", _("aselecte steekproef")
    SIGNAL = "signal", _("signaal of klacht")


class ControlStatus(models.TextChoices):
    PLANNED = "planned", _("gepland")
    PERFORMED = "performed", _("uitgevoerd")


class ControlOutcome(models.TextChoices):
    NO_FINDINGS = "no_findings", _("geen bevindingen")
    IRREGULARITY = "irregularity", _("onregelmatigheid")
    SUSPECTED_FRAUD = "suspected_fraud", _("vermoeden van fraude")


class FindingCategory(models.TextChoices):
    NOT_SME = "not_sme", _("geen kmo")
    FALSE_DECLARATION = "false_declaration", _("valse verklaring")
    DOUBLE_FUNDING = "double_funding", _("dubbele financiering")
    NOT_DELIVERED = "not_delivered", _("dienst niet geleverd")
    PRICE_INFLATED = "price_inflated", _("prijs of mensdagen opgedreven")
    CONFLICT_OF_INTEREST = "conflict_of_interest", _("belangenconflict dienstverlener en kmo")
    DOCUMENT = "document", _("onregelmatig document")
    OTHER = "other", _("andere")


class ControlSelection(models.Model):
    """One draw of the control sample: the highest-risk dossiers plus a stratified random sample."""

    created_at = models.DateTimeField(_("getrokken op"), auto_now_add=True)
    created_by_label = models.CharField(_("getrokken door"), max_length=150)
    seed = models.BigIntegerField(_("seed"))
    run = models.ForeignKey(
        "controls.ScreeningRun", verbose_name=_("screening"), on_delete=models.PROTECT, related_name="selections"
    )
    parameters = models.JSONField(_("parameters"), default=dict)

    class Meta:
        verbose_name = _("controlesteekproef")
        verbose_name_plural = _("controlesteekproeven")
        ordering = ["-created_at", "-id"]


class SelectionBasis(models.TextChoices):
    RISK = "risk", _("hoogste risico")
    RANDOM = "random", _("aselecte steekproef")


class SelectedDossier(models.Model):
    selection = models.ForeignKey(ControlSelection, on_delete=models.CASCADE, related_name="items")
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="+")
    basis = models.CharField(_("grond"), max_length=10, choices=SelectionBasis.choices)
    stratum = models.CharField(_("stratum"), max_length=40, blank=True)
    score = models.DecimalField(_("risicoscore"), max_digits=9, decimal_places=2, default=0)
    reason = models.TextField(_("reden"))

    class Meta:
        verbose_name = _("geselecteerd dossier")
        verbose_name_plural = _("geselecteerde dossiers")
        ordering = ["selection", "basis", "-score", "id"]
        constraints = [models.UniqueConstraint(fields=["selection", "dossier"], name="dossier_once_per_selection")]


class Control(models.Model):
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="controls")
    kind = models.CharField(_("soort"), max_length=20, choices=ControlKind.choices)
    trigger = models.CharField(_("aanleiding"), max_length=20, choices=ControlTrigger.choices)
    status = models.CharField(_("status"), max_length=20, choices=ControlStatus.choices)
    planned_date = models.DateField(_("gepland op"), null=True, blank=True)
    performed_date = models.DateField(_("uitgevoerd op"), null=True, blank=True)
    controller = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    controller_label = models.CharField(_("controleur"), max_length=150)
    scope = models.TextField(_("reikwijdte"))
    outcome = models.CharField(_("uitkomst"), max_length=20, choices=ControlOutcome.choices, blank=True)
    conclusion = models.TextField(_("besluit"), blank=True)
    selected = models.ForeignKey(
        SelectedDossier, null=True, blank=True, on_delete=models.PROTECT, related_name="controls"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("controle")
        verbose_name_plural = _("controles")
        ordering = ["-performed_date", "-planned_date", "-id"]
        indexes = [
            models.Index(fields=["status", "performed_date"]),
            models.Index(fields=["dossier", "kind"]),
        ]
        constraints = [
            models.CheckConstraint(
                name="performed_control_has_date_and_outcome",
                condition=~models.Q(status="performed")
                | (models.Q(performed_date__isnull=False) & ~models.Q(outcome="")),
            ),
            models.CheckConstraint(
                name="planned_control_has_date_no_outcome",
                condition=~models.Q(status="planned") | (models.Q(planned_date__isnull=False) & models.Q(outcome="")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.dossier_id}"


class Finding(models.Model):
    control = models.ForeignKey(Control, on_delete=models.PROTECT, related_name="findings")
    category = models.CharField(_("categorie"), max_length=30, choices=FindingCategory.choices)
    description = models.TextField(_("omschrijving"))
    financial_effect = MoneyField(_("financieel effect"), default=0)
    fraud_referred = models.BooleanField(_("doorverwezen als vermoeden van fraude"), default=False)
    recovery = models.OneToOneField(
        "payments.Recovery", null=True, blank=True, on_delete=models.PROTECT, related_name="finding"
    )

    class Meta:
        verbose_name = _("bevinding")
        verbose_name_plural = _("bevindingen")
        ordering = ["control", "id"]
        constraints = [
            models.CheckConstraint(name="finding_effect_not_negative", condition=models.Q(financial_effect__gte=0)),
        ]


# --------------------------------------------------------------------------- screening


class ScreeningRunStatus(models.TextChoices):
    RUNNING = "running", _("bezig")
    COMPLETE = "complete", _("voltooid")


class ScreeningRun(models.Model):
    started_at = models.DateTimeField(_("gestart op"))
    finished_at = models.DateTimeField(_("voltooid op"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ScreeningRunStatus.choices)
    is_current = models.BooleanField(_("huidige"), default=False)
    started_by_label = models.CharField(_("gestart door"), max_length=150)
    dossier_count = models.PositiveIntegerField(_("dossiers"), default=0)
    hit_count = models.PositiveIntegerField(_("signalen"), default=0)
    parameters = models.JSONField(_("parameters per oproep"), default=dict)

    class Meta:
        verbose_name = _("screening")
        verbose_name_plural = _("screenings")
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"], condition=models.Q(is_current=True), name="one_current_screening_run"
            )
        ]


class IndicatorHit(models.Model):
    """One red flag on one dossier in one run, with the figures that raised it and why."""

    run = models.ForeignKey(ScreeningRun, on_delete=models.CASCADE, related_name="hits")
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="+")
    indicator = models.CharField(_("indicator"), max_length=40)
    weight = models.DecimalField(_("gewicht"), max_digits=6, decimal_places=2)
    figures = models.JSONField(_("cijfers"), default=dict)
    explanation = models.TextField(_("uitleg"))

    class Meta:
        verbose_name = _("signaal")
        verbose_name_plural = _("signalen")
        ordering = ["run", "dossier", "indicator"]
        indexes = [models.Index(fields=["run", "indicator"]), models.Index(fields=["run", "dossier"])]
        constraints = [
            models.UniqueConstraint(fields=["run", "dossier", "indicator"], name="one_hit_per_indicator_per_run")
        ]


class DossierRisk(models.Model):
    """A dossier's risk score in a run: the sum of the weights of its hits."""

    run = models.ForeignKey(ScreeningRun, on_delete=models.CASCADE, related_name="risks")
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="+")
    score = models.DecimalField(_("risicoscore"), max_digits=9, decimal_places=2)
    hit_count = models.PositiveSmallIntegerField(_("signalen"))

    class Meta:
        verbose_name = _("risicoscore")
        verbose_name_plural = _("risicoscores")
        ordering = ["run", "-score", "dossier"]
        indexes = [models.Index(fields=["run", "score"])]
        constraints = [models.UniqueConstraint(fields=["run", "dossier"], name="one_risk_per_dossier_per_run")]


class ScreeningParameters(models.Model):
    """The screening thresholds of one call (part of the call configuration); missing keys take the
    registry's defaults. Written only through `screening_parameters_set`, which checks the types."""

    call = models.OneToOneField("calls.Call", on_delete=models.CASCADE, related_name="screening_parameters")
    values = models.JSONField(_("parameters"), default=dict)

    class Meta:
        verbose_name = _("screeningparameters")
        verbose_name_plural = _("screeningparameters")
