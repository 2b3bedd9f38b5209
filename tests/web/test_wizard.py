"""The provider's new-application wizard, including every user mistake."""

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cstraject.audit.models import AuditEvent
from cstraject.companies.models import Company
from cstraject.dossiers.models import Dossier, DossierDocument
from cstraject.web.services import MAX_DOCUMENT_BYTES
from tests.factories import NaceCodeFactory, enterprise_number

from .conftest import PDF

DECLARATIONS = {
    f"declaration_{k}": "on" for k in ("sme_status", "legal_form", "main_activity", "de_minimis", "no_negative_equity")
}


def _packages(client, world, **extra):
    # Step 1 chooses the company by its exact enterprise number; step 2 takes it from the session.
    client.post(reverse("web:provider_new"), {"enterprise_number": world["company_a"].enterprise_number})
    data = {
        "packages": ["BASIS"],
        "amount_BASIS": "30000",
        "man_days_BASIS": "22",
        **extra,
    }
    return client.post(reverse("web:provider_new_packages"), data)


def _docs(client, dossier, quote=PDF, quote_name="offerte.pdf", **extra):
    data = {
        "version": dossier.updated_at.isoformat(),
        "quote_file": SimpleUploadedFile(quote_name, quote, content_type="application/pdf"),
        "declarations_file": SimpleUploadedFile("verklaringen.pdf", PDF, content_type="application/pdf"),
        **DECLARATIONS,
        **extra,
    }
    return client.post(reverse("web:provider_documents", args=[dossier.pk]), data)


def test_known_company_is_shown_with_province_and_activity(world, login):
    client = login(world["users"]["provider"])
    response = client.post(reverse("web:provider_new"), {"enterprise_number": world["company_a"].enterprise_number})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Kmo Alfa BV" in body and "Oost-Vlaanderen" in body and "62.010" in body


def test_wrong_enterprise_number_gets_a_message_next_to_the_field(world, login):
    client = login(world["users"]["provider"])
    response = client.post(reverse("web:provider_new"), {"enterprise_number": "0123.456.780"})
    body = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_enterprise_number-error"' in body and "modulo 97" in body
    assert 'href="#id_enterprise_number"' in body  # the error summary links to the field


def test_unknown_company_is_entered_by_hand(world, login):
    NaceCodeFactory(code="70220", label_nl="Overige adviesbureaus")
    client = login(world["users"]["provider"])
    number = enterprise_number(777)
    response = client.post(reverse("web:provider_new"), {"enterprise_number": number})
    assert response.status_code == 200 and 'name="municipality"' in response.content.decode()
    # A mistake first: a postal code that is not Belgian. Nothing is saved.
    bad = {
        "enterprise_number": number,
        "name": "Nieuw BV",
        "legal_form": "bv",
        "nace_code": "70.220",
        "postal_code": "99",
        "municipality": "Brugge",
    }
    response = client.post(reverse("web:provider_new"), bad)
    assert response.status_code == 400 and 'id="id_postal_code-error"' in response.content.decode()
    assert not Company.objects.filter(enterprise_number=number).exists()
    response = client.post(reverse("web:provider_new"), {**bad, "postal_code": "8000"})
    company = Company.objects.get(enterprise_number=number)
    assert response.status_code == 302 and response["Location"] == reverse("web:provider_new_packages")
    assert client.session["wizard_company"] == company.pk
    assert company.province == "west-vlaanderen"


def test_full_wizard_creates_submits_and_stores_documents(world, login, settings):
    client = login(world["users"]["provider"])
    response = _packages(client, world)
    dossier = Dossier.objects.get(company=world["company_a"])
    assert response.status_code == 302 and response["Location"] == reverse("web:provider_documents", args=[dossier.pk])
    assert dossier.status == "draft" and str(dossier.subsidy_amount) == "18150.00"  # 50 % x 30,000 x 1.21
    response = _docs(client, dossier)
    assert response.status_code == 302, response.content.decode()[:2000]
    dossier.refresh_from_db()
    assert all(dossier.declarations.values()) and len(dossier.declarations) == 5
    documents = DossierDocument.objects.filter(dossier=dossier)
    assert sorted(d.kind for d in documents) == ["declarations", "quote"]
    stored = documents.get(kind="quote").file.path
    assert stored.startswith(str(settings.MEDIA_ROOT)) and Path(stored).read_bytes() == PDF
    response = client.post(
        reverse("web:provider_submit", args=[dossier.pk]), {"version": dossier.updated_at.isoformat(), "confirm": "on"}
    )
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == "submitted" and dossier.submitted_date is not None
    assert AuditEvent.objects.filter(dossier=dossier, action="transition", to_status="submitted").count() == 1


def test_package_outside_catalogue_is_refused_next_to_the_field(world, login):
    world["provider_a"].packages.remove(*world["call"].packages.filter(code="LIGHT"))
    client = login(world["users"]["provider"])
    response = _packages(client, world, packages=["LIGHT"], amount_LIGHT="18000", man_days_LIGHT="14")
    body = response.content.decode()
    assert response.status_code == 400 and "zit niet in uw catalogus" in body and 'id="id_packages-error"' in body
    assert not Dossier.objects.exists()


def test_missing_amount_and_bad_amount(world, login):
    client = login(world["users"]["provider"])
    response = _packages(client, world, amount_BASIS="", man_days_BASIS="abc")
    body = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_amount_BASIS-error"' in body and 'id="id_man_days_BASIS-error"' in body
    assert not Dossier.objects.exists()


def test_extension_alone_is_refused_by_the_service_rules_or_accepted_with_main(world, login):
    client = login(world["users"]["provider"])
    response = _packages(client, world, packages=[])
    assert response.status_code == 400 and 'id="id_packages-error"' in response.content.decode()


def test_not_a_pdf_and_too_large_are_refused_and_nothing_is_saved(world, login, settings):
    client = login(world["users"]["provider"])
    _packages(client, world)
    dossier = Dossier.objects.get()
    response = _docs(client, dossier, quote=b"MZ\x90\x00 not a pdf", quote_name="offerte.pdf")
    body = response.content.decode()
    assert response.status_code == 400 and 'id="id_quote_file-error"' in body and "%PDF-" in body
    response = _docs(client, dossier, quote=PDF, quote_name="offerte.exe")
    assert response.status_code == 400 and "extensie .pdf" in response.content.decode()
    big = PDF + b"0" * (MAX_DOCUMENT_BYTES + 1)
    response = _docs(client, dossier, quote=big)
    assert response.status_code == 400 and "10 MB" in response.content.decode()
    assert not DossierDocument.objects.exists()
    dossier.refresh_from_db()
    assert dossier.declarations == {}


def test_unticked_declaration_is_refused(world, login):
    client = login(world["users"]["provider"])
    _packages(client, world)
    dossier = Dossier.objects.get()
    response = _docs(client, dossier, declaration_de_minimis="")
    data = {k: v for k, v in DECLARATIONS.items() if k != "declaration_de_minimis"}
    response = client.post(
        reverse("web:provider_documents", args=[dossier.pk]),
        {
            "version": dossier.updated_at.isoformat(),
            "quote_file": SimpleUploadedFile("o.pdf", PDF),
            "declarations_file": SimpleUploadedFile("v.pdf", PDF),
            **data,
        },
    )
    assert response.status_code == 400 and 'id="id_declaration_de_minimis-error"' in response.content.decode()
    assert not DossierDocument.objects.exists()


def test_stale_form_is_refused(world, login):
    client = login(world["users"]["provider"])
    _packages(client, world)
    dossier = Dossier.objects.get()
    old_version = dossier.updated_at.isoformat()
    response = client.post(
        reverse("web:provider_packages", args=[dossier.pk]),
        {"version": old_version, "packages": ["LIGHT"], "amount_LIGHT": "18000", "man_days_LIGHT": "14"},
    )
    assert response.status_code == 302
    # The same (now stale) form again, e.g. from a second tab.
    response = client.post(
        reverse("web:provider_packages", args=[dossier.pk]),
        {"version": old_version, "packages": ["BASIS"], "amount_BASIS": "30000", "man_days_BASIS": "22"},
    )
    assert response.status_code == 400 and "intussen gewijzigd" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.package_mix == "light"


def test_double_submit_is_refused(world, login):
    client = login(world["users"]["provider"])
    _packages(client, world)
    dossier = Dossier.objects.get()
    _docs(client, dossier)
    dossier.refresh_from_db()
    data = {"version": dossier.updated_at.isoformat(), "confirm": "on"}
    assert client.post(reverse("web:provider_submit", args=[dossier.pk]), data).status_code == 302
    second = client.post(reverse("web:provider_submit", args=[dossier.pk]), data)
    assert second.status_code == 302 and second["Location"] == reverse("web:dossier_detail", args=[dossier.pk])
    assert AuditEvent.objects.filter(dossier=dossier, to_status="submitted").count() == 1


def test_submit_without_documents_is_refused(world, login):
    client = login(world["users"]["provider"])
    _packages(client, world)
    dossier = Dossier.objects.get()
    response = client.post(
        reverse("web:provider_submit", args=[dossier.pk]), {"version": dossier.updated_at.isoformat(), "confirm": "on"}
    )
    assert response.status_code == 400 and "Vervolledig eerst" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.status == "draft"


def test_documents_served_only_to_who_may_see_the_dossier(world, login):
    client = login(world["users"]["provider"])
    _packages(client, world)
    dossier = Dossier.objects.get()
    _docs(client, dossier)
    document = DossierDocument.objects.get(kind="quote")
    url = reverse("web:document_download", args=[document.pk])
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF
    assert login(world["users"]["sme"]).get(url).status_code == 200
    assert login(world["users"]["case_handler"]).get(url).status_code == 200
    assert login(world["users"]["provider_b"]).get(url).status_code == 404
    assert login(world["users"]["sme_b"]).get(url).status_code == 404
    assert login(world["users"]["policy"]).get(url).status_code == 403


def test_stale_documents_form_leaves_no_rows_and_no_files(world, login, settings):
    import os

    client = login(world["users"]["provider"])
    _packages(client, world)
    dossier = Dossier.objects.get()
    stale = dossier.updated_at.isoformat()
    client.post(
        reverse("web:provider_packages", args=[dossier.pk]),
        {"version": stale, "packages": ["LIGHT"], "amount_LIGHT": "18000", "man_days_LIGHT": "14"},
    )
    response = client.post(
        reverse("web:provider_documents", args=[dossier.pk]),
        {
            "version": stale,
            "quote_file": SimpleUploadedFile("o.pdf", PDF),
            "declarations_file": SimpleUploadedFile("v.pdf", PDF),
            **DECLARATIONS,
        },
    )
    assert response.status_code == 400 and "intussen gewijzigd" in response.content.decode()
    assert not DossierDocument.objects.exists()
    files = [f for _root, _dirs, names in os.walk(settings.MEDIA_ROOT) for f in names]
    assert files == []
