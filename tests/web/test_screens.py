"""The screens in the users' words: labels instead of code names, amounts as money, required
fields marked, packages in the call's order, a payment request approved on its own page with the
arithmetic in view, and the statistics page on the years that have data."""

from datetime import date

import pytest
from django.urls import reverse

from cstraject.dossiers import workflow
from cstraject.dossiers.models import Criterion
from cstraject.payments.models import Payment, PaymentRequest
from tests.factories import Call2023Factory, DossierFactory

from .conftest import actor


def _version(dossier):
    dossier.refresh_from_db()
    return dossier.updated_at.isoformat()


def test_dossier_page_shows_labels_and_money_not_codes(world, login, submitted):
    body = (
        login(world["users"]["case_handler"]).get(reverse("web:dossier_detail", args=[submitted.pk])).content.decode()
    )
    # Every criterion of the check by its label, never its code name.
    for criterion in Criterion:
        assert f"<td>{criterion.label[:1].upper()}{criterion.label[1:]}</td>" in body
        assert f"<td>{criterion.value}</td>" not in body
    # The audit trail: the role and the statuses in words.
    assert "(dienstverlener)" in body and "(provider)" not in body
    assert "ontwerp → ingediend" in body and "draft" not in body
    # Amounts as money (the check's own explanations are worded by the eligibility service).
    assert "<dd>€ 30.000,00 (22,0 mensdagen)</dd>" in body and ">30000.00<" not in body


def test_transition_buttons_come_from_the_workflow_table(world, login, submitted):
    body = (
        login(world["users"]["case_handler"]).get(reverse("web:dossier_detail", args=[submitted.pk])).content.decode()
    )
    for transition in workflow.allowed_transitions(submitted, actor(world["users"]["case_handler"]), in_wizard=False):
        assert f"/overgang/{transition.name}/" in body
    assert "/overgang/submit/" not in body  # the wizard's step, not a button here
    assert 'class="button-danger">Afwijzen</button>' in body
    # The approval's motivation is never called optional: it is needed when a criterion needs review.
    assert "(verplicht als een criterium nagekeken moet worden)" in body


def test_required_fields_are_marked_required(world, login, submitted):
    body = login(world["users"]["provider"]).get(reverse("web:provider_documents", args=[submitted.pk]))
    # A submitted dossier has no wizard any more; the draft's documents page is what the provider fills in.
    from cstraject.dossiers.services import dossier_create_draft

    from .conftest import ALL_DECLARED

    draft = dossier_create_draft(
        actor=actor(world["users"]["provider"]),
        call=world["call"],
        provider=world["provider_a"],
        company=world["company_b"],
        quote_lines=[{"package": "BASIS", "amount_excl_vat": "30000", "man_days": "22"}],
        declarations=ALL_DECLARED,
    )
    body = login(world["users"]["provider"]).get(reverse("web:provider_documents", args=[draft.pk])).content.decode()
    assert "(optioneel)" not in body  # both documents are still to be uploaded, every declaration is required
    assert body.count('<span class="required">(verplicht)</span>') >= 3
    body = login(world["users"]["provider"]).get(reverse("web:provider_packages", args=[draft.pk])).content.decode()
    assert "(optioneel)" not in body and "(verplicht als u dit pakket kiest)" in body


def test_packages_are_listed_in_the_call_order(world, login):
    from cstraject.providers.services import provider_offer_call

    call = Call2023Factory(code="CS-2023B", name="Oproep 2023 bis")
    provider_offer_call(provider=world["provider_a"], call=call)
    world["call"].closes_date = date(2023, 1, 2)
    world["call"].save()
    body = login(world["users"]["provider"]).get(reverse("web:provider_new_packages"))
    from cstraject.accounts.actors import actor_for_user
    from cstraject.web.selectors import provider_catalogue

    codes = [p.code for p in provider_catalogue(actor=actor_for_user(world["users"]["provider"]), call=call)]
    assert codes == ["START", "MEDIUM", "PLUS"]  # by size, not alphabetically (MEDIUM, PLUS, START)
    assert body.status_code in (200, 302)


@pytest.fixture
def payment_request(world, running):
    from cstraject.payments.services import payment_request_create, statement_submit

    dossier, quarter = running
    provider = actor(world["users"]["provider"])
    statement_submit(
        actor=provider, dossier=dossier, quarter=str(quarter), delivered_man_days="14", delivered_amount="19000"
    )
    return payment_request_create(actor=provider, dossier=dossier, quarter=str(quarter))


def test_payment_approval_page_shows_the_statement_and_the_arithmetic(world, login, payment_request):
    dossier = payment_request.dossier
    handler = login(world["users"]["case_handler"])
    # The dossier page and the list link to the request's page instead of approving in one click.
    detail = handler.get(reverse("web:dossier_detail", args=[dossier.pk])).content.decode()
    review_url = reverse("web:payment_request_review", args=[payment_request.pk])
    assert review_url in detail and f'name="pr{payment_request.pk}-decision"' not in detail
    body = handler.get(review_url).content.decode()
    assert payment_request.statement.quarter in body
    assert "€ 19.000,00" in body and "€ 30.000,00" in body  # delivered of quoted
    assert "14,0" in body and "mensdagen" in body
    assert "50 %" in body and "60 %" in body  # the call's rate; threshold and share of tranche 1
    assert "€ 18.000,00" in body  # the threshold: 60 % of the quote
    assert "€ 10.890,00" in body  # tranche 1: 60 % of the grant of 18,150.00
    assert "€ 7.260,00" in body  # the balance once paid
    assert "Eerder betaald" in body and "€ 0,00" in body
    assert 'name="confirm"' in body and 'name="version"' in body


def test_approving_needs_the_confirmation_post(world, login, payment_request):
    dossier = payment_request.dossier
    handler = login(world["users"]["case_handler"])
    url = reverse("web:payment_request_approve", args=[payment_request.pk])
    # A GET approves nothing; a POST without the confirmation or on an old version neither.
    assert handler.get(url).status_code == 405
    response = handler.post(url, {"version": _version(dossier)})
    assert response.status_code == 400 and 'id="id_confirm-error"' in response.content.decode()
    response = handler.post(url, {"version": "2000-01-01T00:00:00+00:00", "confirm": "on"})
    assert response.status_code == 400 and "intussen gewijzigd" in response.content.decode()
    assert not Payment.objects.exists()
    response = handler.post(url, {"version": _version(dossier), "confirm": "on"})
    assert response.status_code == 302 and response["Location"].endswith("#money")
    payment = Payment.objects.get(dossier=dossier)
    assert payment.amount == payment_request.amount
    payment_request.refresh_from_db()
    assert payment_request.status == "approved"
    # Decided: the page shows the figures but no form any more.
    body = handler.get(reverse("web:payment_request_review", args=[payment_request.pk])).content.decode()
    assert 'name="confirm"' not in body and "goedgekeurd" in body


def test_only_who_decides_payments_sees_the_approval_page(world, login, payment_request):
    url = reverse("web:payment_request_review", args=[payment_request.pk])
    assert login(world["users"]["provider"]).get(url).status_code == 403
    assert login(world["users"]["policy"]).get(url).status_code == 403
    approve = reverse("web:payment_request_approve", args=[payment_request.pk])
    data = {"version": _version(payment_request.dossier), "confirm": "on"}
    assert login(world["users"]["provider"]).post(approve, data).status_code == 403
    assert not Payment.objects.exists()
    assert PaymentRequest.objects.get(pk=payment_request.pk).status == "requested"


@pytest.fixture
def granted_2023(world):
    for n, company in enumerate((world["company_a"], world["company_b"])):
        DossierFactory(
            reference=f"CS-2023-08{n:02d}",
            call=world["call"],
            provider=world["provider_a"],
            company=company,
            submitted_date=date(2023, 2, 1),
            decided_date=date(2023, 3, 1),
        )


def test_statistics_default_to_the_years_with_data(world, login, granted_2023):
    response = login(world["users"]["policy"]).get(reverse("web:statistics"))
    assert response.status_code == 200
    assert response.context["period"] == (2023, 2023)
    body = response.content.decode()
    assert 'value="2023"' in body
    assert ">2024<" not in body and ">2025<" not in body


def test_statistics_do_not_draw_empty_years(world, login, granted_2023):
    response = login(world["users"]["policy"]).get(reverse("web:statistics"), {"year_from": 2021, "year_to": 2023})
    body = response.content.decode()
    assert response.status_code == 200
    assert 'colspan="3">2021</th>' not in body and 'colspan="3">2023</th>' in body
    assert "Geen gegevens in 2021, 2022; die jaren worden niet getoond." in body
    # Labels of a cross table joined so they read: "micro · toegekend", not "micro,toegekend".
    assert " · " in body and ",toegekend" not in body
