"""Two case handlers approving the same payment request at the same moment: one payment.

Real parallel connections: each thread has its own database connection
(Django gives every thread its own), and a barrier releases them together.
Needs PostgreSQL row locks; SQLite serialises whole-database writes instead.
"""

import threading
from datetime import date

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections

from cstraject.accounts.models import Role
from cstraject.audit.models import AuditAction, AuditEvent
from cstraject.dossiers.models import Dossier, DossierStatus
from cstraject.dossiers.services import dossier_transition
from cstraject.payments.models import Payment, PaymentRequest
from cstraject.payments.services import payment_request_approve, payment_request_create, statement_submit
from tests.factories import DossierFactory, actor

IS_POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(
        not IS_POSTGRES, reason="needs PostgreSQL: row locks (SELECT ... FOR UPDATE) and parallel connections"
    ),
    pytest.mark.django_db(transaction=True),
]


def run_together(n, work):
    """Run `work(i)` in n threads released at the same moment; return results or exceptions."""
    barrier = threading.Barrier(n)
    results = [None] * n

    def target(i):
        try:
            barrier.wait()
            results[i] = work(i)
        except Exception as error:
            results[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_concurrent_double_approval_gives_exactly_one_payment():
    assert connection.vendor == "postgresql"
    dossier = DossierFactory(status=DossierStatus.IN_PROGRESS, started_date=date(2021, 4, 1))
    provider = actor(Role.PROVIDER, provider=dossier.provider)
    statement_submit(
        actor=provider,
        dossier=dossier,
        quarter="2021Q2",
        delivered_man_days="14",
        delivered_amount="18000.00",
        today=date(2021, 7, 5),
    )
    request = payment_request_create(actor=provider, dossier=dossier, quarter="2021Q2", today=date(2021, 7, 5))
    handlers = [actor(Role.CASE_HANDLER, label=f"behandelaar-{i}") for i in range(4)]

    results = run_together(
        4,
        lambda i: payment_request_approve(
            actor=handlers[i], payment_request=PaymentRequest.objects.get(pk=request.pk), payment_date=date(2021, 7, 20)
        ),
    )

    payments = [r for r in results if isinstance(r, Payment)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(payments) == 1, results
    assert len(refused) == 3, results
    assert all("al goedgekeurd" in " ".join(e.messages) for e in refused)
    assert Payment.objects.filter(dossier=dossier).count() == 1
    assert AuditEvent.objects.filter(dossier=dossier, action=AuditAction.PAYMENT).count() == 1
    assert PaymentRequest.objects.get(pk=request.pk).status == "approved"


def test_concurrent_transitions_only_one_succeeds():
    # The provider withdraws while the case handler rejects: each alone is legal from "submitted",
    # but after either one the other is not.
    dossier = DossierFactory(status=DossierStatus.SUBMITTED, decided_date=None)
    provider, handler = actor(Role.PROVIDER, provider=dossier.provider), actor(Role.CASE_HANDLER)

    def work(i):
        if i == 0:
            return dossier_transition(
                actor=provider,
                dossier=Dossier.objects.get(pk=dossier.pk),
                transition="withdraw",
                on_date=date(2021, 4, 1),
            )
        return dossier_transition(
            actor=handler,
            dossier=Dossier.objects.get(pk=dossier.pk),
            transition="reject",
            reason="Geen kmo.",
            on_date=date(2021, 4, 1),
        )

    results = run_together(2, work)
    succeeded = [r for r in results if isinstance(r, Dossier)]
    failed = [r for r in results if isinstance(r, (ValidationError, PermissionDenied))]
    assert len(succeeded) == 1 and len(failed) == 1, results
    final = Dossier.objects.get(pk=dossier.pk).status
    assert final in (DossierStatus.WITHDRAWN, DossierStatus.REJECTED)
    assert "status" in failed[0].message_dict
    events = AuditEvent.objects.filter(dossier=dossier, action=AuditAction.TRANSITION)
    assert [(e.from_status, e.to_status) for e in events] == [("submitted", final)]
