"""The reference dataset (answer 526) obeys the lifecycle rules it was imported around.

The loader imports history through `dossier_import`, `statement_import` and
`payment_import`; these tests replay the rules of the live system on it:
every payment is what `tranche_due` gives for its statement, statuses agree
with their dates, and the two refused non-SMEs got nothing.
"""

from importlib import resources

import pytest

from cstraject.companies.sme import sme_status
from cstraject.dossiers.models import GRANTED_STATUSES, Dossier, DossierStatus
from cstraject.payments.models import Payment, PerformanceStatement, Recovery
from cstraject.payments.quarters import quarter_parse
from cstraject.payments.selectors import statement_is_final, tranche_compute

HAS_REFERENCE = (resources.files("cstraject.reference") / "data" / "antwoord526.json").is_file()

pytestmark = pytest.mark.skipif(not HAS_REFERENCE, reason="reference/data/antwoord526.json has not landed yet")


def test_every_imported_payment_equals_tranche_due_for_its_statement(reference_db):
    from cstraject.reference.loader import reference_data

    # The dataset names the quarter (statement) each payment answers; the Payment row links no statement.
    quarters = {
        (raw["reference"], p["tranche"]): p["quarter"]
        for raw in reference_data()["dossiers"]
        for p in raw.get("payments", [])
    }
    checked = 0
    for dossier in Dossier.objects.filter(payments__isnull=False).distinct().select_related("call"):
        statements = {s.quarter: s for s in dossier.statements.all()}
        paid = {}
        for payment in dossier.payments.order_by("payment_date", "tranche"):
            statement = statements[quarters[(dossier.reference, payment.tranche)]]
            assert quarter_parse(statement.quarter).end < payment.payment_date, dossier.reference
            assert quarter_parse(statement.quarter).next().start <= payment.payment_date, dossier.reference
            due = tranche_compute(
                subsidy=dossier.subsidy_amount,
                quoted=dossier.quote_excl_vat,
                delivered=statement.delivered_amount,
                paid_tranches=paid,
                final=statement_is_final(dossier=dossier, statement=statement),
                tranche1_share=dossier.call.tranche1_share,
                tranche1_threshold=dossier.call.tranche1_delivery_threshold,
            )
            assert (payment.tranche, payment.amount) == (due.tranche, due.amount), (
                f"{dossier.reference} {statement.quarter}: {due.reason}"
            )
            paid[payment.tranche] = payment.amount
            checked += 1
    assert checked == Payment.objects.count() > 0


def test_payments_never_exceed_the_grant_and_only_on_started_trajectories(reference_db):
    for dossier in Dossier.objects.filter(payments__isnull=False).distinct():
        assert dossier.status in (DossierStatus.IN_PROGRESS, DossierStatus.FINISHED, DossierStatus.STOPPED), (
            dossier.reference
        )
        assert sum(p.amount for p in dossier.payments.all()) <= dossier.subsidy_amount
        if dossier.status == DossierStatus.FINISHED and dossier.statements.exists():
            last = max(dossier.statements.all(), key=lambda s: quarter_parse(s.quarter))
            if last.delivered_amount == dossier.quote_excl_vat and dossier.payments.filter(tranche=2).exists():
                assert sum(p.amount for p in dossier.payments.all()) == dossier.subsidy_amount, dossier.reference


def test_statements_are_cumulative_and_within_the_quote(reference_db):
    for dossier in Dossier.objects.filter(statements__isnull=False).distinct():
        statements = sorted(dossier.statements.all(), key=lambda s: quarter_parse(s.quarter))
        for earlier, later in zip(statements, statements[1:]):
            assert earlier.delivered_amount <= later.delivered_amount, dossier.reference
            assert earlier.delivered_man_days <= later.delivered_man_days, dossier.reference
        assert statements[-1].delivered_amount <= dossier.quote_excl_vat
        assert statements[-1].delivered_man_days <= dossier.quote_man_days
        assert dossier.started_date and quarter_parse(statements[0].quarter).end >= dossier.started_date, (
            dossier.reference
        )


def test_statuses_agree_with_their_milestone_dates(reference_db):
    for dossier in Dossier.objects.all():
        dates = [dossier.submitted_date, dossier.decided_date, dossier.started_date, dossier.finished_date]
        assert dossier.submitted_date, dossier.reference
        if dossier.status in (*GRANTED_STATUSES, DossierStatus.REJECTED):
            assert dossier.decided_date, dossier.reference
        if dossier.status in (DossierStatus.IN_PROGRESS, DossierStatus.FINISHED):
            assert dossier.started_date, dossier.reference
        if dossier.status == DossierStatus.FINISHED:
            assert dossier.finished_date, dossier.reference
        present = [d for d in dates if d]
        assert present == sorted(present), dossier.reference


def test_the_two_refused_non_smes_have_no_payment_and_no_recovery(reference_db):
    refused = list(Dossier.objects.filter(status=DossierStatus.REJECTED, size_class="groot"))
    assert len(refused) == 2
    for dossier in refused:
        assert not Payment.objects.filter(dossier=dossier).exists()
        assert not Recovery.objects.filter(dossier=dossier).exists()
        assert not PerformanceStatement.objects.filter(dossier=dossier).exists()


def test_sizes_follow_the_annual_accounts_where_there_are_any(reference_db):
    mismatches = []
    for dossier in Dossier.objects.exclude(submitted_date=None).select_related("company"):
        status = sme_status(company=dossier.company, on_date=dossier.submitted_date)
        if status.size_class is not None and status.size_class != dossier.size_class:
            mismatches.append((dossier.reference, dossier.size_class, status.size_class))
    assert mismatches == []
