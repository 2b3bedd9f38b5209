"""Companies (kmo's) as the scheme knows them, with what eligibility needs:
annual accounts, relations to partner and linked enterprises, de minimis aid."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from cstraject.core.enterprise_number import format_enterprise_number
from cstraject.core.fields import MoneyField
from cstraject.core.geography import Province, Region, province_for_postal_code, region_for_province
from cstraject.core.search import search_text


class NaceVersion(models.TextChoices):
    NACE_BEL_2003 = "2003", "NACE-BEL 2003"
    NACE_BEL_2008 = "2008", "NACE-BEL 2008"
    NACE_BEL_2025 = "2025", "NACE-BEL 2025"


class NaceLevel(models.TextChoices):
    SECTION = "section", _("sectie")
    DIVISION = "division", _("afdeling")
    GROUP = "group", _("groep")
    CLASS = "class", _("klasse")
    SUBCLASS = "subclass", _("subklasse")


class NaceCode(models.Model):
    """A NACE-BEL code. Statistics group by code, never by label.

    `label_nl`/`label_fr` are the official labels from the KBO code table (`cstraject kbo import`);
    empty for a code accepted before any import (see `companies/nace.py`), whose `label` is then
    python-stdnum's label of its NACE class."""

    version = models.CharField(_("versie"), max_length=4, choices=NaceVersion.choices)
    code = models.CharField(_("code"), max_length=5, help_text=_("Alleen cijfers, bv. 62010."))
    level = models.CharField(_("niveau"), max_length=10, choices=NaceLevel.choices)
    label_nl = models.CharField(_("omschrijving"), max_length=255, blank=True)
    label_fr = models.CharField(_("omschrijving (Frans)"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("NACE-code")
        verbose_name_plural = _("NACE-codes")
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="unique_nace_code_per_version")]
        ordering = ["version", "code"]

    @property
    def display_code(self) -> str:
        """62010 -> 62.010; divisions (2 digits) as they are."""
        return f"{self.code[:2]}.{self.code[2:]}" if len(self.code) > 2 else self.code

    @property
    def division_code(self) -> str:
        return self.code[:2]

    @property
    def label(self) -> str:
        """The imported official label, else python-stdnum's label of the NACE class."""
        from .nace import nace_label

        return self.label_nl or nace_label(self.version, self.code)

    def __str__(self) -> str:
        return f"{self.display_code} {self.label}".strip()


class LegalForm(models.TextChoices):
    BV = "bv", _("Besloten vennootschap (BV)")
    NV = "nv", _("Naamloze vennootschap (NV)")
    CV = "cv", _("Coöperatieve vennootschap (CV)")
    VOF = "vof", _("Vennootschap onder firma (VOF)")
    COMMV = "commv", _("Commanditaire vennootschap (CommV)")
    EENMANSZAAK = "eenmanszaak", _("Eenmanszaak")
    VZW = "vzw", _("Vereniging zonder winstoogmerk (vzw)")
    PUBLIEKRECHTELIJK = "publiekrechtelijk", _("Publiekrechtelijke rechtspersoon")


class Company(models.Model):
    enterprise_number = models.CharField(_("ondernemingsnummer"), max_length=10, unique=True)
    name = models.CharField(_("naam"), max_length=200)
    legal_form = models.CharField(_("rechtsvorm"), max_length=20, choices=LegalForm.choices)
    nace_code = models.ForeignKey(
        NaceCode, verbose_name=_("hoofdactiviteit (NACE)"), on_delete=models.PROTECT, related_name="companies"
    )
    postal_code = models.CharField(_("postcode"), max_length=4)
    municipality = models.CharField(_("gemeente"), max_length=100)
    # Derived from the postal code in save(); never typed in.
    province = models.CharField(_("provincie"), max_length=20, choices=Province.choices, editable=False)
    region = models.CharField(_("gewest"), max_length=20, choices=Region.choices, editable=False)
    is_social_enterprise = models.BooleanField(_("maatwerkbedrijf"), default=False)
    # The name for searching (core.search.search_text): lower case, no accents. Set in save().
    search_name = models.CharField(max_length=200, blank=True, editable=False, db_index=True)
    public_participation_pct = models.DecimalField(
        _("overheidsparticipatie (%)"), max_digits=5, decimal_places=2, default=0
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("onderneming")
        verbose_name_plural = _("ondernemingen")
        ordering = ["name"]

    def save(self, *args, **kwargs):
        province = province_for_postal_code(self.postal_code)
        self.province = province
        self.region = region_for_province(province)
        self.search_name = search_text(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "postal_code" in update_fields:
            # A partial save (update_or_create does one) must not leave the derived fields stale.
            kwargs["update_fields"] = {*update_fields, "province", "region"}
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_name"}
        super().save(*args, **kwargs)

    @property
    def display_enterprise_number(self) -> str:
        return format_enterprise_number(self.enterprise_number)

    def __str__(self) -> str:
        return f"{self.name} ({self.display_enterprise_number})"


class AccountsScheme(models.TextChoices):
    """The NBB model the accounts were filed in (empty: entered, not imported)."""

    FULL = "volledig", _("volledig schema")
    ABBREVIATED = "verkort", _("verkort schema")
    MICRO = "micro", _("microschema")


class AnnualAccounts(models.Model):
    """Figures of one closed accounting year, as the SME definition needs them."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="annual_accounts")
    year = models.PositiveSmallIntegerField(_("boekjaar"))
    headcount = models.DecimalField(_("personeel (VTE)"), max_digits=9, decimal_places=1)
    # None: not filed (an abbreviated or micro scheme need not show rubric 70); see companies/sme.py.
    turnover = MoneyField(_("omzet"), null=True, blank=True)
    balance_sheet_total = MoneyField(_("balanstotaal"))
    equity = MoneyField(_("eigen vermogen"))
    scheme = models.CharField(
        _("schema"), max_length=10, choices=AccountsScheme.choices, blank=True, help_text=_("Leeg: niet ingelezen.")
    )

    class Meta:
        verbose_name = _("jaarrekening")
        verbose_name_plural = _("jaarrekeningen")
        ordering = ["company", "-year"]
        constraints = [models.UniqueConstraint(fields=["company", "year"], name="one_account_per_company_year")]


class RelationKind(models.TextChoices):
    """EU Recommendation 2003/361: partner (25 % - 50 %) counts pro rata, linked (> 50 %) in full."""

    PARTNER = "partner", _("partneronderneming")
    LINKED = "linked", _("verbonden onderneming")


class CompanyRelation(models.Model):
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="relations")
    related_company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="+")
    share_pct = models.DecimalField(_("aandeel (%)"), max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = _("relatie tussen ondernemingen")
        verbose_name_plural = _("relaties tussen ondernemingen")
        constraints = [
            models.UniqueConstraint(fields=["company", "related_company"], name="one_relation_per_pair"),
            models.CheckConstraint(
                name="relation_not_to_self", condition=~models.Q(company=models.F("related_company"))
            ),
        ]

    @property
    def kind(self) -> RelationKind | None:
        if self.share_pct > 50:
            return RelationKind.LINKED
        if self.share_pct >= 25:
            return RelationKind.PARTNER
        return None

    def clean(self):
        if not 0 < self.share_pct <= 100:
            # xgettext:no-python-format
            raise ValidationError({"share_pct": _("Aandeel moet tussen 0 en 100 % liggen.")})


class DeMinimisAid(models.Model):
    """De minimis aid the undertaking received elsewhere (declared or from the register)."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="de_minimis_aid")
    granted_date = models.DateField(_("toekenningsdatum"))
    amount = MoneyField(_("bedrag"))
    grantor = models.CharField(_("verstrekker"), max_length=200)
    description = models.CharField(_("omschrijving"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("de-minimissteun")
        verbose_name_plural = _("de-minimissteun")
        ordering = ["company", "granted_date"]
