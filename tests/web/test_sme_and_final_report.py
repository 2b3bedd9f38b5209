"""SME contact: confirming the application, co-signing the final report with feedback."""

from datetime import timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from cstraject.audit.models import AuditEvent
from cstraject.dossiers.models import Dossier
from cstraject.impact.models import FinalReport, PlannedTheme
from tests.impact.helpers import FUNCTIONS, with_framework


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


def _report_post(dossier, **overrides):
    data = {
        "version": _version(dossier),
        "point_0_theme": "PR.AA",
        "point_0_description": "MFA op alle accounts",
        "point_0_status": "realised",
        "point_0_maturity_before": "1",
        "point_0_maturity_after": "3,5",
        "improvements": "MFA, back-ups offline, patchbeleid.",
        "signatory": "An Peeters",
        "sign": "on",
    }
    for code in FUNCTIONS:
        data[f"maturity_{code}_before"] = "2"
        data[f"maturity_{code}_after"] = "3"
    data.update(overrides)
    return data


def test_final_report_signed_then_cosigned(world, login, running):
    dossier, _q = running
    with_framework(world["call"])
    provider = login(world["users"]["provider"])
    page = provider.get(reverse("web:final_report_submit", args=[dossier.pk])).content.decode()
    assert "PR.AA" in page and "Maturiteit per functie" in page
    response = provider.post(reverse("web:final_report_submit", args=[dossier.pk]), _report_post(dossier))
    assert response.status_code == 302, response.content.decode()[:2000]
    sme = login(world["users"]["sme"])
    page = sme.get(reverse("web:dossier_detail", args=[dossier.pk])).content.decode()
    assert "MFA op alle accounts" in page and "Medeondertekenen" in page
    response = sme.post(
        reverse("web:final_report_cosign", args=[dossier.pk]),
        {"version": _version(dossier), "signatory": "Bart Kmo", "satisfaction": "6", "sign": "on"},
    )
    body = response.content.decode()
    assert response.status_code == 400 and 'id="id_satisfaction_0"' in body and 'id="id_would_recommend-error"' in body
    response = sme.post(
        reverse("web:final_report_cosign", args=[dossier.pk]),
        {
            "version": _version(dossier),
            "signatory": "Bart Kmo",
            "satisfaction": "4",
            "would_recommend": "ja",
            "changed_practice": "nee",
            "feedback": "Goed traject.",
            "sign": "on",
        },
    )
    assert response.status_code == 302
    report = FinalReport.objects.get(dossier=dossier)
    assert report.is_cosigned and report.satisfaction == 4 and report.sme_feedback == "Goed traject."
    assert (report.would_recommend, report.changed_practice) == (True, False)
    assert report.points.get().maturity_after == Decimal("3.5")
    # After the co-signature the provider can no longer change it.
    provider = login(world["users"]["provider"])
    response = provider.post(
        reverse("web:final_report_submit", args=[dossier.pk]), _report_post(dossier, point_0_description="Iets anders")
    )
    assert response.status_code == 400 and "medeondertekend" in response.content.decode()
    assert report.points.get().description == "MFA op alle accounts"


def test_final_report_errors_land_on_the_row_and_nothing_is_saved(world, login, running):
    dossier, _q = running
    with_framework(world["call"])
    provider = login(world["users"]["provider"])
    # Row 2 filled, row 0 and 1 blank: the service's points[0] is the form's row 2.
    data = _report_post(dossier, maturity_PR_after="9")
    for key in [k for k in data if k.startswith("point_0_")]:
        data[key.replace("point_0_", "point_2_")] = data.pop(key)
    data["point_2_maturity_before"] = "0"
    response = provider.post(reverse("web:final_report_submit", args=[dossier.pk]), data)
    body = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_point_2_maturity_before-error"' in body and 'id="id_maturity_PR_after-error"' in body
    assert "1 tot 5" in body
    assert not FinalReport.objects.exists()


def test_provider_plans_themes_on_the_web(world, login, running):
    dossier, _q = running
    with_framework(world["call"])
    provider = login(world["users"]["provider"])
    url = reverse("web:planned_themes", args=[dossier.pk])
    assert "ID.AM" in provider.get(url).content.decode()
    response = provider.post(
        url,
        {
            "version": _version(dossier),
            "theme_0_theme": "ID.AM",
            "theme_0_man_days": "6",
            "theme_1_theme": "PR.AA",
            "theme_1_man_days": "12",
            "theme_1_quote_line": "BASIS",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert PlannedTheme.objects.get(dossier=dossier, is_main=True).theme.code == "PR.AA"
    response = provider.post(url, {"version": _version(dossier), "theme_0_theme": "ID.AM", "theme_0_man_days": "99"})
    assert response.status_code == 400 and "meer dan de offerte" in response.content.decode()
    assert PlannedTheme.objects.filter(dossier=dossier).count() == 2
    # More rows than the form shows by default: the posted rows count.
    many = {"version": _version(dossier)}
    for index, code in enumerate(
        ["GV.OC", "GV.RM", "GV.RR", "GV.PO", "GV.OV", "GV.SC", "ID.AM", "ID.RA", "ID.IM", "PR.AA"]
    ):
        many[f"theme_{index}_theme"], many[f"theme_{index}_man_days"] = code, "2"
    assert provider.post(url, many).status_code == 302
    assert PlannedTheme.objects.filter(dossier=dossier).count() == 10
    assert "theme_12_theme" in provider.get(url).content.decode()  # existing rows plus blank ones
    # Another provider does not reach the page.
    assert login(world["users"]["provider_b"]).get(url).status_code == 404


def test_sme_answers_the_follow_up_before_its_deadline(world, login, running):
    from cstraject.accounts.actors import system_actor
    from cstraject.impact.services import final_report_cosign, final_report_submit, follow_ups_send
    from tests.impact.helpers import provider_actor, sme_actor, valid_report

    dossier, _q = running
    with_framework(world["call"])
    final_report_submit(actor=provider_actor(dossier), dossier=dossier, **valid_report())
    final_report_cosign(
        actor=sme_actor(dossier),
        dossier=dossier,
        signatory="B",
        satisfaction=5,
        would_recommend=True,
        changed_practice=True,
    )
    today = timezone.localdate()
    Dossier.objects.filter(pk=dossier.pk).update(status="finished", finished_date=today - timedelta(days=366))
    [follow_up] = follow_ups_send(actor=system_actor(), today=today)
    sme = login(world["users"]["sme"])
    assert (
        "Opvolgingsbevraging beantwoorden" in sme.get(reverse("web:dossier_detail", args=[dossier.pk])).content.decode()
    )
    url = reverse("web:follow_up", args=[dossier.pk])
    dashboard = sme.get(reverse("web:sme_dashboard")).content.decode()
    assert "Opvolgingsbevraging te beantwoorden" in dashboard and url in dashboard
    points = {p.theme.code: p.pk for p in follow_up.final_report.points.select_related("theme")}
    response = sme.post(url, {"version": _version(dossier), f"point_{points['PR.AA']}": "ja"})
    assert response.status_code == 400
    response = sme.post(
        url, {"version": _version(dossier), f"point_{points['PR.AA']}": "ja", f"point_{points['RC.RP']}": "nee"}
    )
    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.is_answered and follow_up.items.filter(still_in_place=True).count() == 1
    assert "Opvolgingsbevraging te beantwoorden" not in sme.get(reverse("web:sme_dashboard")).content.decode()
    assert login(world["users"]["sme_b"]).get(url).status_code == 404


def test_follow_up_after_deadline_is_refused_on_the_web(world, login, running):
    from cstraject.accounts.actors import system_actor
    from cstraject.impact.services import final_report_cosign, final_report_submit, follow_ups_send
    from tests.impact.helpers import provider_actor, sme_actor, valid_report

    dossier, _q = running
    with_framework(world["call"])
    final_report_submit(actor=provider_actor(dossier), dossier=dossier, **valid_report())
    final_report_cosign(
        actor=sme_actor(dossier),
        dossier=dossier,
        signatory="B",
        satisfaction=5,
        would_recommend=True,
        changed_practice=True,
    )
    today = timezone.localdate()
    Dossier.objects.filter(pk=dossier.pk).update(status="finished", finished_date=today - timedelta(days=500))
    [follow_up] = follow_ups_send(actor=system_actor(), today=today - timedelta(days=100))
    points = [p.pk for p in follow_up.final_report.points.all()]
    response = login(world["users"]["sme"]).post(
        reverse("web:follow_up", args=[dossier.pk]),
        {"version": _version(dossier), **{f"point_{pk}": "ja" for pk in points}},
    )
    assert response.status_code == 400 and "liep af" in response.content.decode()
    follow_up.refresh_from_db()
    assert not follow_up.is_answered


def test_sme_of_other_company_cannot_cosign(world, login, running):
    dossier, _q = running
    response = login(world["users"]["sme_b"]).post(
        reverse("web:final_report_cosign", args=[dossier.pk]), {"satisfaction": "5"}
    )
    assert response.status_code == 404


def test_a_free_text_report_from_before_the_structured_form_stays_readable(world, login, running):
    dossier, _q = running
    FinalReport.objects.create(
        dossier=dossier,
        improvements="MFA ingevoerd, back-ups offline.",
        provider_signatory="An",
        provider_signed_at=timezone.now(),
        sme_signatory="Bart",
        sme_signed_at=timezone.now(),
        satisfaction=4,
    )
    page = login(world["users"]["sme"]).get(reverse("web:dossier_detail", args=[dossier.pk])).content.decode()
    assert "MFA ingevoerd, back-ups offline." in page and "Gerealiseerde verbeteringen" in page
    assert "4 / 5" in page
