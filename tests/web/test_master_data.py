"""Company master data on the web: providers cannot rewrite a known company or enumerate
companies; the agency corrects master data through an audited back-office form."""

from django.urls import reverse

from cstraject.audit.models import AuditAction, AuditEvent
from cstraject.companies.models import Company


def test_wizard_cannot_rewrite_a_known_company(world, login):
    company = world["company_b"]
    client = login(world["users"]["provider"])
    response = client.post(
        reverse("web:provider_new"),
        {
            "enterprise_number": company.enterprise_number,
            "name": "Overgenomen BV",
            "legal_form": "publiekrechtelijk",
            "nace_code": company.nace_code.display_code,
            "postal_code": "1000",
            "municipality": "Brussel",
        },
    )
    body = response.content.decode()
    assert response.status_code == 400 and "al gekend" in body and 'id="id_name-error"' in body
    company.refresh_from_db()
    assert (company.name, company.postal_code, company.legal_form) == ("Kmo Beta BV", "2000", "bv")
    assert not AuditEvent.objects.filter(company=company).exists()
    assert "wizard_company" not in client.session


def test_package_step_never_shows_a_company_from_the_url(world, login):
    client = login(world["users"]["provider"])
    other = world["company_b"]
    for query in (f"?company={other.pk}", "?company=abc", "?company=99999999999999999999999", "?company="):
        response = client.get(reverse("web:provider_new_packages") + query)
        assert response.status_code == 302 and response["Location"] == reverse("web:provider_new")
    # With company A chosen by its number, a ?company= of B still shows A only.
    client.post(reverse("web:provider_new"), {"enterprise_number": world["company_a"].enterprise_number})
    body = client.get(reverse("web:provider_new_packages") + f"?company={other.pk}").content.decode()
    assert "Kmo Alfa BV" in body and "Kmo Beta BV" not in body


def test_case_handler_corrects_master_data_with_audit(world, login):
    company = world["company_b"]
    client = login(world["users"]["case_handler"])
    response = client.get(reverse("web:company_search"), {"enterprise_number": company.display_enterprise_number})
    assert response.status_code == 302 and response["Location"] == reverse("web:company_master_data", args=[company.pk])
    assert client.get(response["Location"]).status_code == 200
    data = {
        "name": "Kmo Beta Antwerpen BV",
        "legal_form": "bv",
        "nace_code": company.nace_code.display_code,
        "postal_code": "2018",
        "municipality": "Antwerpen",
        "public_participation_pct": "0",
        "reason": "KBO-uittreksel van 2025-03-01",
    }
    response = client.post(reverse("web:company_master_data", args=[company.pk]), data)
    assert response.status_code == 302
    company.refresh_from_db()
    assert (company.name, company.postal_code) == ("Kmo Beta Antwerpen BV", "2018")
    event = AuditEvent.objects.get(company=company, action=AuditAction.MASTER_DATA)
    assert event.actor == world["users"]["case_handler"] and event.reason == "KBO-uittreksel van 2025-03-01"
    assert event.data["before"] == {"name": "Kmo Beta BV", "postal_code": "2000"}
    assert event.data["after"] == {"name": "Kmo Beta Antwerpen BV", "postal_code": "2018"}
    body = client.get(reverse("web:company_master_data", args=[company.pk])).content.decode()
    assert "KBO-uittreksel van 2025-03-01" in body


def test_bad_correction_is_refused_next_to_the_field(world, login):
    company = world["company_b"]
    client = login(world["users"]["case_handler"])
    response = client.post(
        reverse("web:company_master_data", args=[company.pk]),
        {
            "name": "x",
            "legal_form": "bv",
            "nace_code": "99.999",
            "postal_code": "75001",
            "municipality": "Parijs",
            "public_participation_pct": "0",
            "reason": "test",
        },
    )
    body = response.content.decode()
    assert response.status_code == 400 and 'id="id_postal_code-error"' in body and 'id="id_nace_code-error"' in body
    assert Company.objects.get(pk=company.pk).name == "Kmo Beta BV"


def test_other_roles_cannot_reach_master_data(world, login):
    company = world["company_a"]
    for role in ("provider", "sme", "controller", "policy"):
        client = login(world["users"][role])
        assert client.get(reverse("web:company_master_data", args=[company.pk])).status_code == 403
        response = client.post(
            reverse("web:company_master_data", args=[company.pk]), {"name": "Gekaapt BV", "reason": "x"}
        )
        assert response.status_code == 403
        assert client.get(reverse("web:company_search")).status_code == 403
    assert Company.objects.get(pk=company.pk).name == "Kmo Alfa BV"


def test_declared_figures_show_on_their_own_dossier_only(world, login, dossier_a, dossier_b):
    from datetime import date
    from decimal import Decimal

    from cstraject.dossiers.models import DeclaredAnnualAccounts, DeclaredDeMinimisAid

    DeclaredAnnualAccounts.objects.create(
        dossier=dossier_a,
        company=world["company_a"],
        year=2024,
        headcount=Decimal("7.5"),
        turnover=Decimal("812345.00"),
        balance_sheet_total=Decimal("400000.00"),
        equity=Decimal("1000.00"),
    )
    DeclaredDeMinimisAid.objects.create(
        dossier=dossier_a,
        company=world["company_a"],
        granted_date=date(2024, 5, 1),
        amount=Decimal("5000"),
        grantor="Stad Gent",
    )
    for role in ("provider", "case_handler", "sme"):
        body = login(world["users"][role]).get(reverse("web:dossier_detail", args=[dossier_a.pk])).content.decode()
        assert "Verklaard bij de aanvraag" in body and "812.345,00" in body and "Stad Gent" in body
    body = (
        login(world["users"]["case_handler"]).get(reverse("web:dossier_detail", args=[dossier_b.pk])).content.decode()
    )
    assert "Verklaard bij de aanvraag" not in body and "Stad Gent" not in body
    assert (
        login(world["users"]["provider_b"]).get(reverse("web:dossier_detail", args=[dossier_a.pk])).status_code == 404
    )


def test_company_events_show_in_the_full_audit_trail(world, login):
    from cstraject.companies.services import company_update_master_data

    from .conftest import actor

    company = world["company_a"]
    company_update_master_data(
        actor=actor(world["users"]["case_handler"]), company=company, reason="KBO", municipality="Gent-Centrum"
    )
    body = login(world["users"]["controller"]).get(reverse("web:control_audit")).content.decode()
    assert company.display_enterprise_number in body and "Stamgegevens onderneming" in body
