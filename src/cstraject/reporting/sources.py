"""Where the figures come from: one narrow projection per model, read once per report.

Each source names the few columns the tables need: the years a row counts in
(NULL outside the period; a row with no year in the period is not read), the
categories the dimensions group by (`province`, `size_class`, `package_mix`,
`sector_version` and `sector_code`, `outcome`, `stage`), flags for the
tables' filters and amounts in whole cents. Columns the database computes
are fetched; the others are derived by DuckDB from them. See
`reporting.engine` for how to add a source.
"""

from __future__ import annotations

from django.db.models import Q

from cstraject.companies.models import NaceCode
from cstraject.dossiers.models import GRANTED_STATUSES, Dossier, DossierStatus
from cstraject.payments.models import Collection, Payment, Recovery

from .engine import Source, cents, choice, derived, integer, moment_year, one_of, text, year
from .impact_tables import IMPACT_SOURCES

# Outcome of an application (1b): the status grouped as the question needs it.
OUTCOMES = {
    "toegekend": GRANTED_STATUSES,
    "afgewezen": [DossierStatus.REJECTED],
    "ingetrokken": [DossierStatus.WITHDRAWN],
    "in behandeling": [DossierStatus.DRAFT, DossierStatus.SUBMITTED],
}
# Abandoned applications (1g): started but never submitted, or withdrawn.
ABANDONED = {
    "niet ingediend": [DossierStatus.DRAFT],
    "ingetrokken": [DossierStatus.WITHDRAWN],
}

# The NACE codes (a small lookup table): the dossiers' sector columns come from it.
NACE_CODES = Source(
    name="nace_codes",
    rows=NaceCode.objects.all,
    columns=(integer("id"), text("version"), text("code")),
)

DOSSIERS = Source(
    name="dossiers",
    rows=Dossier.objects.all,
    needs=("nace_codes",),
    columns=(
        integer("company_id"),
        text("status"),
        year("decided_year", "decided_date"),
        year("submitted_year", "submitted_date"),
        # 1g: an application never submitted counts in the year it was created (local time).
        moment_year("created_year", "created_at", when=Q(submitted_date__isnull=True)),
        text("province"),
        text("size_class"),
        text("package_mix"),
        integer("nace_code_id"),
        cents("cents", "subsidy_amount"),
        derived("started_year", "BIGINT", "coalesce(submitted_year, created_year)"),
        one_of("granted", "status", GRANTED_STATUSES),
        one_of("abandoned", "status", [s for statuses in ABANDONED.values() for s in statuses]),
        choice("outcome", "status", OUTCOMES),
        choice("stage", "status", ABANDONED),
        derived("sector_version", "VARCHAR", "(SELECT version FROM nace_codes WHERE id = nace_code_id)"),
        derived("sector_code", "VARCHAR", "(SELECT code FROM nace_codes WHERE id = nace_code_id)"),
    ),
)

PAYMENTS = Source(
    name="payments",
    rows=Payment.objects.all,
    columns=(
        year("paid_year", "payment_date"),
        text("province", "dossier__province"),
        text("size_class", "dossier__size_class"),
        cents("cents", "amount"),
    ),
)

RECOVERIES = Source(
    name="recoveries",
    rows=Recovery.objects.all,
    columns=(
        year("issued_year", "issued_date"),
        integer("dossier_id"),
        text("province", "dossier__province"),
        text("size_class", "dossier__size_class"),
        cents("cents", "amount"),
    ),
)

COLLECTIONS = Source(
    name="collections",
    rows=Collection.objects.all,
    columns=(
        year("collected_year", "collected_date"),
        text("province", "recovery__dossier__province"),
        text("size_class", "recovery__dossier__size_class"),
        cents("cents", "amount"),
    ),
)


def _performed_controls():
    from cstraject.controls.models import Control, ControlStatus

    return Control.objects.filter(status=ControlStatus.PERFORMED)


def _findings():
    from cstraject.controls.models import ControlStatus, Finding

    return Finding.objects.filter(control__status=ControlStatus.PERFORMED)


# Questions 2 and 2a: performed controls (cstraject.controls), in the year they were performed.
CONTROLS = Source(
    name="controls",
    rows=_performed_controls,
    columns=(
        year("performed_year", "performed_date"),
        integer("dossier_id"),
        text("size_class", "dossier__size_class"),
        text("kind"),
        text("trigger"),
        text("outcome"),
        one_of("irregular", "outcome", ["irregularity", "suspected_fraud"]),
        one_of("fraud", "outcome", ["suspected_fraud"]),
    ),
)

FINDINGS = Source(
    name="findings",
    rows=_findings,
    columns=(
        year("performed_year", "control__performed_date"),
        text("size_class", "control__dossier__size_class"),
        text("category"),
        cents("cents", "financial_effect"),
    ),
)

SOURCES: dict[str, Source] = {
    source.name: source for source in (NACE_CODES, DOSSIERS, PAYMENTS, RECOVERIES, COLLECTIONS, CONTROLS, FINDINGS)
}
# Themes (1e) and impact (5): planned themes, granted dossiers, trajectories, maturities, follow-ups.
SOURCES.update(IMPACT_SOURCES)
