"""What a provider declares for one application: annual accounts, partner and
linked enterprises, de minimis aid received elsewhere.

These are the application's declaration, attributed to its dossier
(`DeclaredAnnualAccounts`, `DeclaredRelation`, `DeclaredDeMinimisAid`), never
the agency's master data, and never visible to another dossier.

- `declarations_store` writes them for a dossier (with an audit event).
- `dossier_figures` is THE loading function of the eligibility check: the
  master data plus this dossier's declarations. Where both give a figure
  (the accounts of the same company and year, the same relation), the
  agency's master data win; declarations fill what the agency does not have.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from cstraject.accounts.actors import Actor
from cstraject.audit.models import AuditAction
from cstraject.audit.services import audit_event_record
from cstraject.companies.figures import CompanyFigures
from cstraject.companies.models import Company, DeMinimisAid

from .models import DeclaredAnnualAccounts, DeclaredDeMinimisAid, DeclaredRelation, Dossier


@dataclass
class Declared:
    """Declarations read from an intake, not yet stored (a dossier does not exist yet)."""

    accounts: list[dict] = field(default_factory=list)  # company, year, headcount, turnover, ...
    relations: list[dict] = field(default_factory=list)  # company, related_company, share_pct
    de_minimis_aid: list[dict] = field(default_factory=list)  # company, granted_date, amount, grantor, description

    def __bool__(self) -> bool:
        return bool(self.accounts or self.relations or self.de_minimis_aid)


def _row_data(row: dict) -> dict:
    return {k: (v.enterprise_number if isinstance(v, Company) else str(v)) for k, v in row.items()}


def declarations_store(*, actor: Actor, dossier: Dossier, declared: Declared) -> None:
    """Store `declared` as `dossier`'s declarations and audit it. Call inside the intake's transaction."""
    if not declared:
        return
    DeclaredAnnualAccounts.objects.bulk_create(
        DeclaredAnnualAccounts(dossier=dossier, **row) for row in declared.accounts
    )
    DeclaredRelation.objects.bulk_create(DeclaredRelation(dossier=dossier, **row) for row in declared.relations)
    DeclaredDeMinimisAid.objects.bulk_create(
        DeclaredDeMinimisAid(dossier=dossier, **row) for row in declared.de_minimis_aid
    )
    audit_event_record(
        actor=actor,
        action=AuditAction.EDIT,
        dossier=dossier,
        company=dossier.company,
        from_status=dossier.status,
        to_status=dossier.status,
        reason=_("Gegevens verklaard bij de aanvraag (jaarrekeningen, relaties, de-minimissteun)."),
        data={
            "annual_accounts": [_row_data(r) for r in declared.accounts],
            "relations": [_row_data(r) for r in declared.relations],
            "de_minimis_aid": [_row_data(r) for r in declared.de_minimis_aid],
        },
    )


class DossierFigures(CompanyFigures):
    """Master data plus the declarations of one dossier (master data win where both give a figure)."""

    def __init__(self, dossier: Dossier):
        self.dossier = dossier
        self._accounts = {
            (row.company_id, row.year): row for row in DeclaredAnnualAccounts.objects.filter(dossier=dossier)
        }
        self._relations = list(
            DeclaredRelation.objects.filter(dossier=dossier).select_related("company", "related_company").order_by("id")
        )

    def annual_accounts(self, *, company_id: int, year: int):
        master = super().annual_accounts(company_id=company_id, year=year)
        return master if master is not None else self._accounts.get((company_id, year))

    def accounting_years(self, *, company_id: int, before: int) -> list[int]:
        declared = {year for (company, year) in self._accounts if company == company_id and year < before}
        return sorted(set(super().accounting_years(company_id=company_id, before=before)) | declared)

    def accounts_for(self, *, company_ids: set[int], years: list[int]) -> list:
        master = super().accounts_for(company_ids=company_ids, years=years)
        known = {(row.company_id, row.year) for row in master}
        return master + [
            row
            for (company, year), row in self._accounts.items()
            if company in company_ids and year in years and (company, year) not in known
        ]

    def relations_touching(self, *, company_ids: set[int], min_pct: Decimal) -> list:
        master = super().relations_touching(company_ids=company_ids, min_pct=min_pct)
        known = {(r.company_id, r.related_company_id) for r in master}
        return master + [
            r
            for r in self._relations
            if r.share_pct >= min_pct
            and (r.company_id in company_ids or r.related_company_id in company_ids)
            and (r.company_id, r.related_company_id) not in known
        ]

    def links(self, *, company_ids: set[int], above_pct: Decimal) -> set[tuple[int, int]]:
        declared = {
            (r.company_id, r.related_company_id)
            for r in self._relations
            if r.share_pct > above_pct and (r.company_id in company_ids or r.related_company_id in company_ids)
        }
        return super().links(company_ids=company_ids, above_pct=above_pct) | declared

    def de_minimis_total(self, *, company_ids: set[int], start: date, end: date) -> Decimal:
        """Master aid plus declared aid; a declared grant the agency already has (same company, date
        and amount) counts once."""
        master = super().de_minimis_total(company_ids=company_ids, start=start, end=end)
        declared = DeclaredDeMinimisAid.objects.filter(
            dossier=self.dossier, company_id__in=company_ids, granted_date__gte=start, granted_date__lte=end
        )
        on_record = set(
            DeMinimisAid.objects.filter(
                company_id__in=company_ids, granted_date__gte=start, granted_date__lte=end
            ).values_list("company_id", "granted_date", "amount")
        )
        extra = [row.amount for row in declared if (row.company_id, row.granted_date, row.amount) not in on_record]
        return master + sum(extra, Decimal("0.00"))


def dossier_figures(dossier: Dossier) -> CompanyFigures:
    """The inputs of `dossier`'s eligibility check: master data plus its own declarations."""
    return DossierFigures(dossier)
