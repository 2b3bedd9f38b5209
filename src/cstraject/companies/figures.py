"""Where the SME test and the eligibility check read a company's figures.

`CompanyFigures` reads the agency's master data only (`AnnualAccounts`,
`CompanyRelation`, `DeMinimisAid`). `cstraject.dossiers.declared.dossier_figures`
returns a subclass that adds what the provider declared for ONE application
(its `Declared*` rows), so the check of a dossier reads master data plus that
dossier's own declarations, and never another application's.

The algorithms (`companies.sme`, `dossiers.eligibility`) take a `figures`
object and ask it; they never query these tables themselves.
"""

from datetime import date
from decimal import Decimal

from django.db.models import Q, Sum

from .models import AnnualAccounts, CompanyRelation, DeMinimisAid


class CompanyFigures:
    """The agency's master data."""

    def annual_accounts(self, *, company_id: int, year: int):
        """The accounts of one year (an object with headcount, turnover, balance_sheet_total, equity) or None."""
        return AnnualAccounts.objects.filter(company_id=company_id, year=year).first()

    def accounting_years(self, *, company_id: int, before: int) -> list[int]:
        """The years with accounts before `before`, oldest first."""
        return sorted(
            AnnualAccounts.objects.filter(company_id=company_id, year__lt=before).values_list("year", flat=True)
        )

    def accounts_for(self, *, company_ids: set[int], years: list[int]) -> list:
        """The accounts of `company_ids` for `years` (objects with company_id, year and the figures)."""
        return list(AnnualAccounts.objects.filter(company_id__in=company_ids, year__in=years))

    def relations_touching(self, *, company_ids: set[int], min_pct: Decimal) -> list:
        """Relations of at least `min_pct` with `company_ids` on either side (objects with company,
        related_company and share_pct)."""
        rows = CompanyRelation.objects.filter(share_pct__gte=min_pct).filter(
            Q(company_id__in=company_ids) | Q(related_company_id__in=company_ids)
        )
        return list(rows.select_related("company", "related_company").order_by("id"))

    def links(self, *, company_ids: set[int], above_pct: Decimal) -> set[tuple[int, int]]:
        """(company, related company) pairs with a share above `above_pct` that touch `company_ids`."""
        rows = CompanyRelation.objects.filter(share_pct__gt=above_pct).filter(
            Q(company_id__in=company_ids) | Q(related_company_id__in=company_ids)
        )
        return set(rows.values_list("company_id", "related_company_id"))

    def de_minimis_total(self, *, company_ids: set[int], start: date, end: date) -> Decimal:
        """De minimis aid received by `company_ids` granted from `start` to `end` inclusive."""
        rows = DeMinimisAid.objects.filter(company_id__in=company_ids, granted_date__gte=start, granted_date__lte=end)
        return Decimal("0.00") + (rows.aggregate(total=Sum("amount"))["total"] or 0)


MASTER_DATA = CompanyFigures()
