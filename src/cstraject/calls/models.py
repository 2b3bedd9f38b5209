"""Calls (oproepen): every rule of the scheme that changes over time is a
parameter of a call, so that no rule hard-codes a year."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from cstraject.core.fields import MoneyField, RateField
from cstraject.core.money import round_half_up_cents


class FrequencyScope(models.TextChoices):
    """Whom the once-per-company / once-per-N-years rule counts."""

    ENTERPRISE = "enterprise", _("per onderneming")
    UNDERTAKING = "undertaking", _("per groep (met verbonden ondernemingen)")


class StoppedSettlement(models.TextChoices):
    """What is due for a trajectory stopped before completion (payments/settlement.py)."""

    PRO_RATA = "pro_rata", _("pro rata van wat geleverd is")
    THRESHOLD = "threshold", _("pro rata, maar niets onder de drempel van de eerste schijf")
    NOTHING = "nothing", _("niets: alles wat betaald is, wordt teruggevorderd")


class Call(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("naam"), max_length=200)
    opens_date = models.DateField(_("start"))
    closes_date = models.DateField(_("einde"), null=True, blank=True)
    subsidy_rate = RateField(_("steunpercentage"), help_text=_("Bv. 0,4500 voor 45 %."))
    rate_on_vat_inclusive = models.BooleanField(_("percentage op offerte inclusief btw"), default=True)
    vat_rate = RateField(_("btw-tarief"), default=Decimal("0.2100"))
    min_quote_excl_vat = MoneyField(_("minimale offerte excl. btw"), null=True, blank=True)
    max_quote_excl_vat = MoneyField(_("maximale offerte excl. btw"), null=True, blank=True)
    support_interval_years = models.PositiveSmallIntegerField(
        _("eens per zoveel jaar"), null=True, blank=True, help_text=_("Leeg: eenmaal per onderneming.")
    )
    frequency_scope = models.CharField(
        _("frequentieregel geldt per"),
        max_length=20,
        choices=FrequencyScope.choices,
        default=FrequencyScope.ENTERPRISE,
        help_text=_(
            "Onderneming: elke onderneming (ondernemingsnummer) apart, zoals de oproep het zegt "
            "('een onderneming kan slechts één maal steun verkrijgen'). Groep: de onderneming met haar "
            "verbonden ondernemingen samen."
        ),
    )
    stopped_settlement = models.CharField(
        _("afrekening van een stopgezet traject"),
        max_length=20,
        choices=StoppedSettlement.choices,
        default=StoppedSettlement.PRO_RATA,
    )
    tranche1_share = RateField(_("aandeel eerste schijf"), default=Decimal("0.6000"))
    tranche1_delivery_threshold = RateField(_("geleverd voor eerste schijf"), default=Decimal("0.6000"))
    social_enterprises_excluded = models.BooleanField(_("maatwerkbedrijven uitgesloten van kmo-toets"), default=True)
    max_public_participation_pct = models.DecimalField(
        _("maximale overheidsparticipatie (%)"), max_digits=5, decimal_places=2, default=Decimal("25.00")
    )
    acceptable_legal_forms = models.JSONField(_("aanvaarde rechtsvormen"), default=list, blank=True)
    excluded_nace_prefixes = models.JSONField(_("uitgesloten NACE-codes (prefixen)"), default=list, blank=True)

    class Meta:
        verbose_name = _("oproep")
        verbose_name_plural = _("oproepen")
        ordering = ["opens_date"]

    def __str__(self) -> str:
        return self.name

    def subsidy_base(self, quote_excl_vat: Decimal) -> Decimal:
        """The amount the rate applies to (exact, unrounded)."""
        if self.rate_on_vat_inclusive:
            return Decimal(quote_excl_vat) * (1 + self.vat_rate)
        return Decimal(quote_excl_vat)

    def subsidy_for(self, quote_excl_vat: Decimal) -> Decimal:
        """The grant for a quote: rate x base, rounded half-up to the cent once.

        16,335.00 = 45 % x 30,000.00 x 1.21; 13,694.18 = 45 % x 25,150.01 x 1.21.
        """
        return round_half_up_cents(self.subsidy_base(quote_excl_vat) * self.subsidy_rate)


class PackageKind(models.TextChoices):
    BASIS = "basis", _("basispakket")
    LIGHT = "light", _("lightpakket")
    UITBREIDING = "uitbreiding", _("uitbreidingspakket")
    START = "start", _("START")
    MEDIUM = "medium", _("MEDIUM")
    PLUS = "plus", _("PLUS")


def package_order(prefix: str = "") -> list:
    """The order a call lists its packages in: by kind as `PackageKind` declares them (from the
    smallest to the largest of each generation: basis, light, extension; START, MEDIUM, PLUS), then
    by code; never alphabetically. `order_by(*package_order())` on packages,
    `order_by(*package_order("package__"))` on quote lines."""
    kind = models.Case(
        *(
            models.When(**{f"{prefix}kind": value}, then=models.Value(index))
            for index, value in enumerate(PackageKind.values)
        ),
        default=models.Value(len(PackageKind.values)),
        output_field=models.IntegerField(),
    )
    return [kind, f"{prefix}code"]


class Package(models.Model):
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="packages")
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("naam"), max_length=200)
    kind = models.CharField(_("soort"), max_length=20, choices=PackageKind.choices)
    is_extension = models.BooleanField(
        _("uitbreiding"), default=False, help_text=_("Enkel samen met een basis- of lightpakket.")
    )
    list_price_excl_vat = MoneyField(_("richtprijs excl. btw"), null=True, blank=True)

    class Meta:
        verbose_name = _("pakket")
        verbose_name_plural = _("pakketten")
        ordering = ["call", "is_extension", "code"]
        constraints = [models.UniqueConstraint(fields=["call", "code"], name="unique_package_code_per_call")]

    def __str__(self) -> str:
        return f"{self.call.code} {self.name}"
