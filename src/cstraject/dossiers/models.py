"""The dossier (aanvraag): one SME's trajectory with one provider under one call.

What statistics group by (province, NACE activity, size class, package mix)
is recorded on the dossier at intake, because a company moves, changes
activity and grows; the answer to parliament must describe the dossier as it
was decided, not the company as it is today.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cstraject.core.fields import MoneyField
from cstraject.core.geography import Province


class DossierStatus(models.TextChoices):
    DRAFT = "draft", _("ontwerp")
    SUBMITTED = "submitted", _("ingediend")
    APPROVED = "approved", _("goedgekeurd")
    REJECTED = "rejected", _("afgewezen")
    WITHDRAWN = "withdrawn", _("ingetrokken")
    IN_PROGRESS = "in_progress", _("in uitvoering")
    FINISHED = "finished", _("afgerond")
    STOPPED = "stopped", _("stopgezet")


# Statuses in which the subsidy is granted (toegekend): approved and beyond.
GRANTED_STATUSES = [DossierStatus.APPROVED, DossierStatus.IN_PROGRESS, DossierStatus.FINISHED, DossierStatus.STOPPED]


class SizeClass(models.TextChoices):
    MICRO = "micro", _("micro")
    KLEIN = "klein", _("klein")
    MIDDELGROOT = "middelgroot", _("middelgroot")
    GROOT = "groot", _("groot")


class Dossier(models.Model):
    reference = models.CharField(_("referentie"), max_length=20, unique=True)
    call = models.ForeignKey("calls.Call", verbose_name=_("oproep"), on_delete=models.PROTECT, related_name="dossiers")
    provider = models.ForeignKey(
        "providers.ServiceProvider", verbose_name=_("dienstverlener"), on_delete=models.PROTECT, related_name="dossiers"
    )
    company = models.ForeignKey(
        "companies.Company", verbose_name=_("onderneming"), on_delete=models.PROTECT, related_name="dossiers"
    )
    status = models.CharField(_("status"), max_length=20, choices=DossierStatus.choices, default=DossierStatus.DRAFT)

    # Snapshot at intake (see module docstring).
    province = models.CharField(_("provincie"), max_length=20, choices=Province.choices)
    nace_code = models.ForeignKey(
        "companies.NaceCode", verbose_name=_("hoofdactiviteit (NACE)"), on_delete=models.PROTECT, related_name="+"
    )
    # Empty on a draft; set from the annual accounts by the eligibility check at submission.
    size_class = models.CharField(_("grootte"), max_length=20, choices=SizeClass.choices, blank=True)
    size_accounting_year = models.PositiveSmallIntegerField(_("boekjaar grootte"), null=True, blank=True)
    # Exact, as the SME test computed them: partner shares are never rounded (companies/sme.py).
    size_headcount = models.DecimalField(_("personeel (VTE)"), max_digits=15, decimal_places=5, null=True, blank=True)
    size_turnover = models.DecimalField(_("omzet"), max_digits=20, decimal_places=6, null=True, blank=True)
    size_balance_sheet_total = models.DecimalField(
        _("balanstotaal"), max_digits=20, decimal_places=6, null=True, blank=True
    )

    # Derived from the quote lines by the services; stored so the database can group by it.
    package_mix = models.CharField(_("pakketcombinatie"), max_length=40, blank=True)
    quote_excl_vat = MoneyField(_("offerte excl. btw"), default=0)
    quote_man_days = models.DecimalField(_("mensdagen volgens offerte"), max_digits=7, decimal_places=1, default=0)
    subsidy_amount = MoneyField(_("steunbedrag"), default=0)

    declarations = models.JSONField(_("verklaringen op eer"), default=dict, blank=True)
    sme_confirmed_at = models.DateTimeField(_("bevestigd door kmo"), null=True, blank=True)

    submitted_date = models.DateField(_("ingediend op"), null=True, blank=True)
    decided_date = models.DateField(_("beslist op"), null=True, blank=True)
    started_date = models.DateField(_("gestart op"), null=True, blank=True)
    finished_date = models.DateField(_("afgerond op"), null=True, blank=True)
    stopped_date = models.DateField(_("stopgezet op"), null=True, blank=True)
    withdrawn_date = models.DateField(_("ingetrokken op"), null=True, blank=True)
    decision_reason = models.TextField(_("motivering"), blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        ordering = ["reference"]
        indexes = [
            models.Index(fields=["status", "submitted_date"]),
            models.Index(fields=["decided_date"]),
            models.Index(fields=["provider", "status"]),
            models.Index(fields=["call", "status"]),
            models.Index(fields=["company"]),
            # The work queue (web.selectors.work_queue): one index per sort, with and without the status
            # filter, so a page is read in index order (LIMIT/OFFSET) instead of sorting the table.
            models.Index(fields=["status", "submitted_date", "id"], name="dossier_queue_status_submitted"),
            models.Index(fields=["status", "subsidy_amount", "id"], name="dossier_queue_status_subsidy"),
            models.Index(fields=["status", "reference"], name="dossier_queue_status_reference"),
            models.Index(fields=["submitted_date", "id"], name="dossier_queue_submitted"),
            models.Index(fields=["subsidy_amount", "id"], name="dossier_queue_subsidy"),
            # A provider's dashboard: its dossiers, most recently changed first (web.selectors.dossiers_by_status).
            models.Index(fields=["provider", "updated_at", "id"], name="dossier_provider_dashboard"),
        ]
        constraints = [
            models.CheckConstraint(name="subsidy_not_negative", condition=models.Q(subsidy_amount__gte=0)),
            models.CheckConstraint(name="quote_not_negative", condition=models.Q(quote_excl_vat__gte=0)),
        ]

    def __str__(self) -> str:
        return self.reference


class QuoteLine(models.Model):
    """One package of the quote (offerte)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="quote_lines")
    package = models.ForeignKey("calls.Package", verbose_name=_("pakket"), on_delete=models.PROTECT, related_name="+")
    amount_excl_vat = MoneyField(_("bedrag excl. btw"))
    man_days = models.DecimalField(_("mensdagen"), max_digits=7, decimal_places=1)

    class Meta:
        verbose_name = _("offertelijn")
        verbose_name_plural = _("offertelijnen")
        ordering = ["dossier", "id"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "package"], name="one_line_per_package"),
            models.CheckConstraint(name="quote_line_amount_not_negative", condition=models.Q(amount_excl_vat__gte=0)),
            models.CheckConstraint(name="quote_line_man_days_not_negative", condition=models.Q(man_days__gte=0)),
        ]


class EligibilityStage(models.TextChoices):
    SUBMISSION = "submission", _("bij indiening")
    DECISION = "decision", _("bij beslissing")


class EligibilityOutcome(models.TextChoices):
    PASS = "pass", _("voldaan")
    FAIL = "fail", _("niet voldaan")
    REVIEW = "review", _("na te kijken")


class Criterion(models.TextChoices):
    """The criteria of the eligibility check, in the order they are checked and shown
    (`dossiers.eligibility.CRITERIA` maps each to its check)."""

    SME = "sme", _("kmo-status")
    FREQUENCY = "frequency", _("eerdere steun (frequentie)")
    DE_MINIMIS = "de_minimis", _("de-minimisplafond")
    REGION = "region", _("vestiging in Vlaanderen")
    LEGAL_FORM = "legal_form", _("rechtsvorm")
    MAIN_ACTIVITY = "main_activity", _("hoofdactiviteit (NACE)")
    PUBLIC_PARTICIPATION = "public_participation", _("overheidsparticipatie")
    EQUITY = "equity", _("eigen vermogen")
    QUOTE_CATALOGUE = "quote_catalogue", _("pakketten uit de catalogus")
    QUOTE_RANGE = "quote_range", _("offertebedrag binnen de grenzen")
    PACKAGE_COMBINATION = "package_combination", _("combinatie van pakketten")
    DECLARATIONS = "declarations", _("verklaringen op eer")


class EligibilityResult(models.Model):
    """One criterion of the eligibility check, explained: outcome, reason, data used."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="eligibility_results")
    stage = models.CharField(_("moment"), max_length=20, choices=EligibilityStage.choices)
    criterion = models.CharField(_("criterium"), max_length=40)
    outcome = models.CharField(_("uitkomst"), max_length=10, choices=EligibilityOutcome.choices)
    reason = models.TextField(_("toelichting"))
    data = models.JSONField(_("gebruikte gegevens"), default=dict, blank=True)
    checked_at = models.DateTimeField(_("getoetst op"))

    class Meta:
        verbose_name = _("toetsingsresultaat")
        verbose_name_plural = _("toetsingsresultaten")
        ordering = ["dossier", "checked_at", "id"]
        indexes = [models.Index(fields=["dossier", "stage"])]

    @property
    def criterion_label(self) -> str:
        """The criterion in words (`Criterion`); an unknown code (an older check) as it was stored."""
        try:
            return str(Criterion(self.criterion).label)
        except ValueError:
            return self.criterion


class DocumentKind(models.TextChoices):
    QUOTE = "quote", _("ondertekende offerte")
    DECLARATIONS = "declarations", _("verklaringen op eer")
    FINAL_REPORT = "final_report", _("eindverslag")
    OTHER = "other", _("ander document")


def document_upload_to(instance: "DossierDocument", filename: str) -> str:
    # The stored name is ours, not the uploader's: no path tricks, no clashes.
    return f"dossiers/{instance.dossier.reference}/{instance.kind}-{instance.sha256[:16]}.pdf"


class DossierDocument(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("soort"), max_length=20, choices=DocumentKind.choices)
    file = models.FileField(_("bestand"), upload_to=document_upload_to)
    original_name = models.CharField(_("oorspronkelijke naam"), max_length=255)
    size_bytes = models.PositiveIntegerField(_("grootte (bytes)"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("opgeladen op"), auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documenten")
        ordering = ["dossier", "uploaded_at"]


# --- what the provider declared for THIS application ------------------------------------------
# Master data of a company (companies.AnnualAccounts, CompanyRelation, DeMinimisAid) belong to the
# agency. Figures a provider declares with an application are stored here, attributed to the
# dossier; the eligibility check of that dossier reads master data plus these rows
# (`dossiers.declared.dossier_figures`), and no other dossier ever sees them.


class DeclaredAnnualAccounts(models.Model):
    """Annual-account figures declared with the application, for the applicant or a related enterprise."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="declared_accounts")
    company = models.ForeignKey("companies.Company", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("boekjaar"))
    headcount = models.DecimalField(_("personeel (VTE)"), max_digits=9, decimal_places=1)
    turnover = MoneyField(_("omzet"))
    balance_sheet_total = MoneyField(_("balanstotaal"))
    equity = MoneyField(_("eigen vermogen"))

    class Meta:
        verbose_name = _("verklaarde jaarrekening")
        verbose_name_plural = _("verklaarde jaarrekeningen")
        ordering = ["dossier", "company", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "company", "year"], name="one_declared_account_per_year")
        ]


class DeclaredRelation(models.Model):
    """A stake (partner or linked enterprise) declared with the application."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="declared_relations")
    company = models.ForeignKey("companies.Company", on_delete=models.PROTECT, related_name="+")
    related_company = models.ForeignKey("companies.Company", on_delete=models.PROTECT, related_name="+")
    share_pct = models.DecimalField(_("aandeel (%)"), max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = _("verklaarde relatie")
        verbose_name_plural = _("verklaarde relaties")
        ordering = ["dossier", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "company", "related_company"], name="one_declared_relation_per_pair"
            ),
            models.CheckConstraint(
                name="declared_relation_not_to_self", condition=~models.Q(company=models.F("related_company"))
            ),
        ]


class DeclaredDeMinimisAid(models.Model):
    """De minimis aid received elsewhere, declared with the application."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="declared_de_minimis_aid")
    company = models.ForeignKey("companies.Company", on_delete=models.PROTECT, related_name="+")
    granted_date = models.DateField(_("toekenningsdatum"))
    amount = MoneyField(_("bedrag"))
    grantor = models.CharField(_("verstrekker"), max_length=200)
    description = models.CharField(_("omschrijving"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("verklaarde de-minimissteun")
        verbose_name_plural = _("verklaarde de-minimissteun")
        ordering = ["dossier", "granted_date", "id"]
