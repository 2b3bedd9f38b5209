"""The statistics page shows 1e (themes) and 5 (impact) with their generated text; the Word answer downloads."""

import io
from datetime import date

from django.urls import reverse
from docx import Document

from cstraject.accounts.actors import system_actor
from cstraject.impact.services import final_report_cosign, final_report_submit
from cstraject.impact.themes import planned_themes_set
from tests.factories import DossierFactory
from tests.impact.helpers import valid_report, with_framework


def test_statistics_page_shows_themes_impact_and_the_word_answer(world, login):
    with_framework(world["call"])
    system = system_actor("test")
    dossier = DossierFactory(
        call=world["call"],
        provider=world["provider_a"],
        company=world["company_a"],
        status="in_progress",
        submitted_date=date(2024, 2, 1),
        decided_date=date(2024, 3, 1),
        started_date=date(2024, 3, 10),
    )
    planned_themes_set(actor=system, dossier=dossier, themes=[{"theme": "PR.AA", "man_days": "10"}])
    final_report_submit(actor=system, dossier=dossier, **valid_report())
    final_report_cosign(
        actor=system, dossier=dossier, signatory="K", satisfaction=5, would_recommend=True, changed_practice=True
    )
    dossier.status, dossier.finished_date = "finished", date(2024, 9, 30)
    dossier.save()
    client = login(world["users"]["policy"])
    body = client.get(reverse("web:statistics"), {"year_from": 2024, "year_to": 2024}).content.decode()
    assert "1e – Toegekende dossiers en steun per thema (CyFun-functie)" in body
    assert "PR Beschermen" in body and "100,0 %" in body
    assert "5 – Impact van de afgeronde trajecten per jaar" in body
    assert "Elk traject wordt afgesloten met een eindverslag" in body  # the generated method text
    assert "medeondertekend eindverslag" in body
    response = client.get(reverse("web:statistics_document"), {"year_from": 2024, "year_to": 2024})
    assert response.status_code == 200 and "antwoord-526-2024-2024.docx" in response["Content-Disposition"]
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "Vraag 5" in text and "In 2024 ging het grootste deel van het toegekende bedrag naar PR Beschermen" in text
    assert client.get(reverse("web:statistics_document"), {"year_from": 2025, "year_to": 2024}).status_code == 400
    assert login(world["users"]["provider"]).get(reverse("web:statistics_document")).status_code == 403
