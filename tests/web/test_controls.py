"""The controller's risk queue, the red flags on the dossier page, the form to record a control."""

from datetime import date
from decimal import Decimal

from django.urls import reverse

from cstraject.accounts.actors import system_actor
from cstraject.controls.models import Control, Finding
from cstraject.controls.screening.run import screening_run
from cstraject.payments.models import Payment, Recovery
from tests.factories import DossierFactory


def _flagged(world, reference, headcount, provider, company="company_a"):
    return DossierFactory(
        reference=reference,
        call=world["call"],
        provider=provider,
        company=world[company],
        status="in_progress",
        size_class="micro",
        size_headcount=Decimal(headcount),
        submitted_date=date(2025, 1, 10),
        decided_date=date(2025, 2, 1),
    )


def test_risk_queue_sorted_and_filtered(world, login):
    low = _flagged(world, "CS-2023-0950", "9.6", world["provider_a"])
    high = _flagged(world, "CS-2023-0951", "9.9", world["provider_b"], "company_b")
    high.started_date, high.finished_date, high.status = date(2025, 3, 1), date(2025, 3, 5), "finished"
    high.save()
    screening_run(actor=system_actor(), today=date(2025, 6, 1))
    client = login(world["users"]["controller"])
    body = client.get(reverse("web:risk_queue")).content.decode()
    assert body.index(high.reference) < body.index(low.reference)
    assert "Afgerond 4 dagen na de start" in body
    body = client.get(reverse("web:risk_queue"), {"indicator": "R3_TE_SNEL_AFGEROND"}).content.decode()
    assert high.reference in body and low.reference not in body
    body = client.get(reverse("web:risk_queue"), {"provider": "A"}).content.decode()
    assert low.reference in body and high.reference not in body
    body = client.get(reverse("web:risk_queue"), {"category": "aanvrager"}).content.decode()
    assert low.reference in body and high.reference in body
    assert client.get(reverse("web:risk_queue"), {"indicator": "BESTAAT_NIET"}).status_code == 400
    assert login(world["users"]["provider"]).get(reverse("web:risk_queue")).status_code == 403


def test_case_handler_sees_the_flags_the_provider_does_not(world, login):
    dossier = _flagged(world, "CS-2023-0952", "9.9", world["provider_a"])
    screening_run(actor=system_actor(), today=date(2025, 6, 1))
    url = reverse("web:dossier_detail", args=[dossier.pk])
    body = login(world["users"]["case_handler"]).get(url).content.decode()
    assert "Rode vlaggen" in body and "Grootte vlak onder een kmo-plafond" in body and "plafond 10" in body
    assert "Controle registreren" not in body  # the case handler sees, the controller records
    body = login(world["users"]["provider"]).get(url).content.decode()
    assert "Rode vlaggen" not in body and "Grootte vlak onder" not in body


def test_controller_records_a_control_with_a_recovery(world, login):
    dossier = _flagged(world, "CS-2023-0953", "3.0", world["provider_a"])
    Payment.objects.create(dossier=dossier, tranche=1, amount=Decimal("1000.00"), payment_date=date(2025, 4, 1))
    client = login(world["users"]["controller"])
    url = reverse("web:control_create", args=[dossier.pk])
    form = {
        "kind": "visit",
        "trigger": "signal",
        "performed_date": "2025-05-01",
        "scope": "Bezoek ter plaatse.",
        "outcome": "irregularity",
        "category": "not_delivered",
        "description": "Twee mensdagen niet gepresteerd.",
        "financial_effect": "1000.01",
    }
    response = client.post(url, form)
    assert response.status_code == 400 and "meer dan betaald" in response.content.decode()
    assert not Control.objects.exists() and not Recovery.objects.exists()
    response = client.post(url, {**form, "category": ""})
    assert response.status_code == 400 and not Control.objects.exists()
    response = client.post(url, {**form, "financial_effect": "400.00"})
    assert response.status_code == 302
    finding = Finding.objects.get()
    assert finding.recovery.amount == Decimal("400.00") and finding.control.controller_label == "controller"
    body = client.get(reverse("web:dossier_detail", args=[dossier.pk])).content.decode()
    assert "dienst niet geleverd" in body
    assert login(world["users"]["case_handler"]).post(url, form).status_code == 403


def test_payment_approval_list_shows_the_red_flags(world, login):
    from cstraject.payments.models import PaymentRequest
    from tests.factories import PerformanceStatementFactory

    dossier = _flagged(world, "CS-2023-0954", "9.9", world["provider_a"])
    statement = PerformanceStatementFactory(dossier=dossier, quarter="2025Q1", reported_date=date(2025, 4, 5))
    PaymentRequest.objects.create(
        dossier=dossier, statement=statement, tranche=1, amount=Decimal("100.00"), requested_date=date(2025, 4, 5)
    )
    screening_run(actor=system_actor(), today=date(2025, 6, 1))
    body = login(world["users"]["case_handler"]).get(reverse("web:backoffice_payments")).content.decode()
    assert "1 vlag (score 1,00)" in body  # Dutch number format


def test_statistics_page_answers_2_to_4(world, login):
    dossier = _flagged(world, "CS-2023-0955", "9.9", world["provider_a"])
    screening_run(actor=system_actor(), today=date(2025, 6, 1))
    from cstraject.accounts.models import Role
    from cstraject.controls.services import control_record
    from tests.factories import actor

    control_record(
        actor=actor(Role.CONTROLLER),
        dossier=dossier,
        kind="visit",
        trigger="risk",
        performed_date=date(2025, 5, 1),
        outcome="irregularity",
        scope="Bezoek.",
        findings=[{"category": "not_sme", "description": "Te groot."}],
    )
    response = login(world["users"]["policy"]).get(reverse("web:statistics"), {"year_from": 2025, "year_to": 2025})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Uitgevoerde controles per grootte" in body and "Bevindingen per categorie" in body
    assert "Het controleproces" in body and "--goedkeuren--&gt;" in body
    assert "Rode vlaggen van de automatische screening" in body and "Grootte vlak onder een kmo-plafond" in body
