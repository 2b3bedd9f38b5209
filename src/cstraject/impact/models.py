"""Themes and impact.

- The cybersecurity framework the work is described in: CyberFundamentals
  (CyFun) of the Centre for Cybersecurity Belgium, built on the NIST
  Cybersecurity Framework 2.0. A `FrameworkVersion` is reference data with
  its own code; its `Theme` rows are the six functions (GV, ID, PR, DE, RS,
  RC) and their categories (GV.OC, ID.AM, PR.AA, ...). A call names the
  version it uses (`CallFramework`), so a later version can sit beside it.
- The themes a provider plans in the quote, with man-days (`PlannedTheme`).
- The final report (eindverslag): improvement points per theme (realised,
  partly, not) with the SME's maturity before and after on CyFun's 1-5 scale,
  the maturity before and after per function, the provider's signature, the
  SME's co-signature and its feedback survey. Reports filed before the
  structured form keep their free text (`improvements`) and are read as such.
- The follow-up survey twelve months after the end: which improvements are
  still in place.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

MATURITY_MIN = Decimal("1.0")
MATURITY_MAX = Decimal("5.0")


def _maturity_field(verbose_name):
    return models.DecimalField(verbose_name, max_digits=2, decimal_places=1)


def _maturity_check(name: str, field: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        name=name, condition=models.Q(**{f"{field}__gte": MATURITY_MIN, f"{field}__lte": MATURITY_MAX})
    )


class FrameworkVersion(models.Model):
    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("naam"), max_length=200)
    based_on = models.CharField(_("gebaseerd op"), max_length=100, blank=True)
    published_date = models.DateField(_("gepubliceerd op"), null=True, blank=True)
    source = models.CharField(_("bron"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("versie van het kader")
        verbose_name_plural = _("versies van het kader")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class Theme(models.Model):
    """A function (parent empty: GV, ID, ...) or a category (GV.OC, PR.AA, ...) of one framework version."""

    version = models.ForeignKey(FrameworkVersion, on_delete=models.PROTECT, related_name="themes")
    code = models.CharField(_("code"), max_length=12)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="categories", verbose_name=_("functie")
    )
    name_nl = models.CharField(_("naam"), max_length=200)
    name_en = models.CharField(_("naam (Engels)"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("thema")
        verbose_name_plural = _("thema's")
        ordering = ["version", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="unique_theme_code_per_version")]

    @property
    def is_function(self) -> bool:
        return self.parent_id is None

    def __str__(self) -> str:
        return f"{self.code} {self.name_nl}"


class CallFramework(models.Model):
    """Which framework version a call's themes come from."""

    call = models.OneToOneField("calls.Call", on_delete=models.CASCADE, related_name="framework")
    version = models.ForeignKey(FrameworkVersion, on_delete=models.PROTECT, related_name="calls")

    class Meta:
        verbose_name = _("kader van de oproep")
        verbose_name_plural = _("kaders van de oproepen")

    def __str__(self) -> str:
        return f"{self.call_id}: {self.version_id}"


class PlannedTheme(models.Model):
    """A theme of the quote's work, with its man-days; the main theme is the one with the most man-days."""

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="planned_themes")
    theme = models.ForeignKey(Theme, verbose_name=_("thema"), on_delete=models.PROTECT, related_name="+")
    quote_line = models.ForeignKey(
        "dossiers.QuoteLine",
        verbose_name=_("offertelijn"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="themes",
    )
    description = models.CharField(_("geplande verbetering"), max_length=300, blank=True)
    man_days = models.DecimalField(_("mensdagen"), max_digits=7, decimal_places=1)
    is_main = models.BooleanField(_("hoofdthema"), default=False)

    class Meta:
        verbose_name = _("gepland thema")
        verbose_name_plural = _("geplande thema's")
        ordering = ["dossier", "-man_days", "theme__code"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "theme"], name="one_planned_theme_per_dossier"),
            models.UniqueConstraint(
                fields=["dossier"], condition=models.Q(is_main=True), name="one_main_theme_per_dossier"
            ),
            models.CheckConstraint(name="planned_theme_man_days_positive", condition=models.Q(man_days__gt=0)),
        ]


class FinalReport(models.Model):
    dossier = models.OneToOneField("dossiers.Dossier", on_delete=models.PROTECT, related_name="final_report")
    # Free text of the reports filed before the structured form; kept and shown as it was.
    improvements = models.TextField(_("gerealiseerde verbeteringen"), blank=True)
    is_structured = models.BooleanField(_("gestructureerd"), default=False)
    provider_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    provider_signatory = models.CharField(_("ondertekend door (dienstverlener)"), max_length=150)
    provider_signed_at = models.DateTimeField(_("ondertekend door dienstverlener op"))
    sme_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sme_signatory = models.CharField(_("medeondertekend door (kmo)"), max_length=150, blank=True)
    sme_signed_at = models.DateTimeField(_("medeondertekend door kmo op"), null=True, blank=True)
    sme_feedback = models.TextField(_("feedback van de kmo"), blank=True)
    satisfaction = models.PositiveSmallIntegerField(_("tevredenheid (1-5)"), null=True, blank=True)
    would_recommend = models.BooleanField(_("zou het traject aanbevelen"), null=True, blank=True)
    changed_practice = models.BooleanField(_("veranderde de beveiligingspraktijk"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("eindverslag")
        verbose_name_plural = _("eindverslagen")
        ordering = ["-provider_signed_at"]
        constraints = [
            models.CheckConstraint(
                name="satisfaction_1_to_5",
                condition=models.Q(satisfaction__isnull=True) | models.Q(satisfaction__gte=1, satisfaction__lte=5),
            ),
            models.CheckConstraint(
                name="cosigned_with_satisfaction",
                condition=models.Q(sme_signed_at__isnull=True) | models.Q(satisfaction__isnull=False),
            ),
        ]

    @property
    def is_cosigned(self) -> bool:
        return self.sme_signed_at is not None

    def __str__(self) -> str:
        return _("Eindverslag %(dossier_id)s") % {"dossier_id": self.dossier_id}


class PointStatus(models.TextChoices):
    REALISED = "realised", _("gerealiseerd")
    PARTLY = "partly", _("gedeeltelijk gerealiseerd")
    NOT = "not", _("niet gerealiseerd")


class ImprovementPoint(models.Model):
    final_report = models.ForeignKey(FinalReport, on_delete=models.CASCADE, related_name="points")
    theme = models.ForeignKey(Theme, verbose_name=_("thema"), on_delete=models.PROTECT, related_name="+")
    description = models.CharField(_("verbeterpunt"), max_length=300)
    status = models.CharField(_("resultaat"), max_length=10, choices=PointStatus.choices)
    maturity_before = _maturity_field(_("maturiteit voor"))
    maturity_after = _maturity_field(_("maturiteit na"))

    class Meta:
        verbose_name = _("verbeterpunt")
        verbose_name_plural = _("verbeterpunten")
        ordering = ["final_report", "id"]
        constraints = [
            _maturity_check("point_maturity_before_1_to_5", "maturity_before"),
            _maturity_check("point_maturity_after_1_to_5", "maturity_after"),
        ]


class FunctionMaturity(models.Model):
    """The SME's maturity on one CyFun function before and after the trajectory (1-5)."""

    final_report = models.ForeignKey(FinalReport, on_delete=models.CASCADE, related_name="function_maturities")
    function = models.ForeignKey(Theme, verbose_name=_("functie"), on_delete=models.PROTECT, related_name="+")
    before = _maturity_field(_("maturiteit voor"))
    after = _maturity_field(_("maturiteit na"))

    class Meta:
        verbose_name = _("maturiteit per functie")
        verbose_name_plural = _("maturiteit per functie")
        ordering = ["final_report", "function__order"]
        constraints = [
            models.UniqueConstraint(fields=["final_report", "function"], name="one_maturity_per_function"),
            _maturity_check("function_maturity_before_1_to_5", "before"),
            _maturity_check("function_maturity_after_1_to_5", "after"),
        ]


class FollowUp(models.Model):
    """The survey twelve months after the end: which improvements are still in place."""

    final_report = models.OneToOneField(FinalReport, on_delete=models.PROTECT, related_name="follow_up")
    opens_on = models.DateField(_("open vanaf"))
    deadline = models.DateField(_("te beantwoorden tegen"))
    sent_at = models.DateTimeField(_("verstuurd op"))
    answered_at = models.DateTimeField(_("beantwoord op"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    comment = models.TextField(_("toelichting"), blank=True)

    class Meta:
        verbose_name = _("opvolgingsbevraging")
        verbose_name_plural = _("opvolgingsbevragingen")
        ordering = ["opens_on"]
        indexes = [models.Index(fields=["answered_at"])]

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None


class FollowUpItem(models.Model):
    follow_up = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="items")
    point = models.OneToOneField(ImprovementPoint, on_delete=models.CASCADE, related_name="follow_up_item")
    still_in_place = models.BooleanField(_("nog van kracht"))

    class Meta:
        verbose_name = _("antwoord opvolging")
        verbose_name_plural = _("antwoorden opvolging")
        ordering = ["follow_up", "point_id"]
