"""The KBO/BCE open data (Crossroads Bank for Enterprises) as published: one table per CSV file.

Columns mirror the published layout (`kbo.py` declares the mapping); enterprise and
establishment numbers are stored as 10 digits, dates as dates. Only `cstraject kbo import`
writes these tables (`kbo.py`: staging tables, then one atomic switch). The company master
data the scheme uses (`companies.Company`) are derived from them (`register/services.py`).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cstraject.core.fields import MoneyField
from cstraject.core.geography import Province, Region


class KboCode(models.Model):
    """code.csv: the label of every code (JuridicalForm, Nace2008, Status, ...) per language."""

    category = models.CharField(max_length=40)
    code = models.CharField(max_length=20)
    language = models.CharField(max_length=2)
    description = models.TextField()

    class Meta:
        verbose_name = _("KBO-code")
        verbose_name_plural = _("KBO-codes")
        indexes = [models.Index(fields=["category", "code"], name="kbo_code_category_code")]


class KboEnterprise(models.Model):
    enterprise_number = models.CharField(_("ondernemingsnummer"), max_length=10, primary_key=True)
    status = models.CharField(max_length=2)
    juridical_situation = models.CharField(max_length=3)
    type_of_enterprise = models.CharField(max_length=1)
    juridical_form = models.CharField(max_length=3, blank=True)
    juridical_form_cac = models.CharField(max_length=3, blank=True)
    start_date = models.DateField(null=True)

    class Meta:
        verbose_name = _("KBO-onderneming")
        verbose_name_plural = _("KBO-ondernemingen")


class KboEstablishment(models.Model):
    establishment_number = models.CharField(_("vestigingseenheidsnummer"), max_length=10, primary_key=True)
    start_date = models.DateField(null=True)
    enterprise_number = models.CharField(max_length=10, db_index=True)

    class Meta:
        verbose_name = _("KBO-vestigingseenheid")
        verbose_name_plural = _("KBO-vestigingseenheden")


class KboDenomination(models.Model):
    entity_number = models.CharField(max_length=10, db_index=True)
    language = models.CharField(max_length=1)
    type_of_denomination = models.CharField(max_length=3)
    denomination = models.CharField(max_length=320)

    class Meta:
        verbose_name = _("KBO-benaming")
        verbose_name_plural = _("KBO-benamingen")


class KboAddress(models.Model):
    entity_number = models.CharField(max_length=10, db_index=True)
    type_of_address = models.CharField(max_length=4)
    country_nl = models.CharField(max_length=100, blank=True)
    country_fr = models.CharField(max_length=100, blank=True)
    zipcode = models.CharField(max_length=20, blank=True)
    municipality_nl = models.CharField(max_length=200, blank=True)
    municipality_fr = models.CharField(max_length=200, blank=True)
    street_nl = models.CharField(max_length=200, blank=True)
    street_fr = models.CharField(max_length=200, blank=True)
    house_number = models.CharField(max_length=22, blank=True)
    box = models.CharField(max_length=20, blank=True)
    extra_address_info = models.CharField(max_length=200, blank=True)
    date_striking_off = models.DateField(null=True)
    # Derived from a Belgian postal code at import, as for companies (core/geography.py); empty abroad.
    province = models.CharField(max_length=20, choices=Province.choices, blank=True)
    region = models.CharField(max_length=20, choices=Region.choices, blank=True)

    class Meta:
        verbose_name = _("KBO-adres")
        verbose_name_plural = _("KBO-adressen")


class KboContact(models.Model):
    entity_number = models.CharField(max_length=10, db_index=True)
    entity_contact = models.CharField(max_length=3)
    contact_type = models.CharField(max_length=5)
    value = models.CharField(max_length=254)

    class Meta:
        verbose_name = _("KBO-contactgegeven")
        verbose_name_plural = _("KBO-contactgegevens")


class KboActivity(models.Model):
    entity_number = models.CharField(max_length=10, db_index=True)
    activity_group = models.CharField(max_length=6)
    nace_version = models.CharField(max_length=4)
    nace_code = models.CharField(max_length=8)
    classification = models.CharField(max_length=4)

    class Meta:
        verbose_name = _("KBO-activiteit")
        verbose_name_plural = _("KBO-activiteiten")


class KboBranch(models.Model):
    """branch.csv: Belgian branches of foreign entities."""

    branch_id = models.CharField(max_length=20, primary_key=True)
    start_date = models.DateField(null=True)
    enterprise_number = models.CharField(max_length=10, db_index=True)

    class Meta:
        verbose_name = _("KBO-bijkantoor")
        verbose_name_plural = _("KBO-bijkantoren")


class KboExtractKind(models.TextChoices):
    FULL = "full", _("volledig")
    UPDATE = "update", _("maandelijkse bijwerking")


class KboExtract(models.Model):
    """One applied extract (meta.csv), with the row counts per file: the import log."""

    number = models.PositiveIntegerField(_("extractnummer"))
    kind = models.CharField(_("soort"), max_length=6, choices=KboExtractKind.choices)
    snapshot_date = models.DateField(_("momentopname"))
    extract_timestamp = models.CharField(max_length=40, blank=True)
    version = models.CharField(max_length=20, blank=True)
    file_name = models.CharField(max_length=255)
    counts = models.JSONField(default=dict)
    skipped = models.JSONField(default=list)
    applied_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("KBO-extract")
        verbose_name_plural = _("KBO-extracten")
        ordering = ["-applied_at"]
        constraints = [models.UniqueConstraint(fields=["number", "kind"], name="kbo_extract_once")]


class FiledAccounts(models.Model):
    """Annual accounts as filed with the NBB (Central Balance Sheet Office), per enterprise and year,
    in its rubric codes: 9087 average FTE, 70 turnover (None when the scheme does not show it),
    20/58 balance-sheet total, 10/15 equity. `cstraject accounts import` writes them; the scheme's
    companies get them as their `AnnualAccounts` (master data)."""

    enterprise_number = models.CharField(_("ondernemingsnummer"), max_length=10)
    year = models.PositiveSmallIntegerField(_("boekjaar"))
    scheme = models.CharField(_("schema"), max_length=10)
    headcount = models.DecimalField(_("personeel (VTE, 9087)"), max_digits=9, decimal_places=1)
    turnover = MoneyField(_("omzet (70)"), null=True)
    balance_sheet_total = MoneyField(_("balanstotaal (20/58)"))
    equity = MoneyField(_("eigen vermogen (10/15)"))

    class Meta:
        verbose_name = _("neergelegde jaarrekening")
        verbose_name_plural = _("neergelegde jaarrekeningen")
        constraints = [models.UniqueConstraint(fields=["enterprise_number", "year"], name="filed_accounts_once")]
