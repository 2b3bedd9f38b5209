"""SME contact: confirming the application, co-signing the final report with feedback."""

from django.urls import reverse

from cstraject.audit.models import AuditEvent
from cstraject.impact.models import FinalReport


def _version(dossier):
    dossier.refresh_from_db()
    return dossier.updated_at.isoformat()


def test_sme_confirms_quote_and_declarations(world, login, submitted):
    client = login(world["users"]["sme"])
    assert "Bevestigen" in client.get(reverse("web:dossier_detail", args=[submitted.pk])).content.decode()
    response = client.post(
        reverse("web:sme_confirm", args=[submitted.pk]), {"version": _version(submitted), "confirm": "on"}
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.sme_confirmed_at is not None
    assert AuditEvent.objects.filter(dossier=submitted, actor_role="sme_contact").count() == 1
    # Twice is refused (stale form and already confirmed).
    response = client.post(
        reverse("web:sme_confirm", args=[submitted.pk]), {"version": _version(submitted), "confirm": "on"}
    )
    assert response.status_code == 400


def test_confirm_requires_the_checkbox(world, login, submitted):
    client = login(world["users"]["sme"])
    response = client.post(reverse("web:sme_confirm", args=[submitted.pk]), {"version": _version(submitted)})
    assert response.status_code == 400 and 'id="id_confirm-error"' in response.content.decode()


def test_final_report_signed_then_cosigned(world, login, running):
    dossier, _q = running
    provider = login(world["users"]["provider"])
    response = provider.post(
        reverse("web:final_report_submit", args=[dossier.pk]),
        {
            "version": _version(dossier),
            "improvements": "MFA, back-ups offline, patchbeleid.",
            "signatory": "An Peeters",
            "sign": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    sme = login(world["users"]["sme"])
    page = sme.get(reverse("web:dossier_detail", args=[dossier.pk])).content.decode()
    assert "MFA, back-ups offline" in page and "Medeondertekenen" in page
    response = sme.post(
        reverse("web:final_report_cosign", args=[dossier.pk]),
        {"version": _version(dossier), "signatory": "Bart Kmo", "satisfaction": "6", "sign": "on"},
    )
    assert response.status_code == 400 and 'id="id_satisfaction_0"' in response.content.decode()
    response = sme.post(
        reverse("web:final_report_cosign", args=[dossier.pk]),
        {
            "version": _version(dossier),
            "signatory": "Bart Kmo",
            "satisfaction": "4",
            "feedback": "Goed traject.",
            "sign": "on",
        },
    )
    assert response.status_code == 302
    report = FinalReport.objects.get(dossier=dossier)
    assert report.is_cosigned and report.satisfaction == 4 and report.sme_feedback == "Goed traject."
    # After the co-signature the provider can no longer change it.
    provider = login(world["users"]["provider"])
    response = provider.post(
        reverse("web:final_report_submit", args=[dossier.pk]),
        {"version": _version(dossier), "improvements": "Iets anders", "signatory": "An Peeters", "sign": "on"},
    )
    assert response.status_code == 400
    report.refresh_from_db()
    assert report.improvements.startswith("MFA")


def test_sme_of_other_company_cannot_cosign(world, login, running):
    dossier, _q = running
    response = login(world["users"]["sme_b"]).post(
        reverse("web:final_report_cosign", args=[dossier.pk]), {"satisfaction": "5"}
    )
    assert response.status_code == 404
