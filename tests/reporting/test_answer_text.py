"""The answer's text follows the figures: which sentence depends on what the records hold."""

from datetime import date
from decimal import Decimal

from cstraject.accounts.actors import system_actor
from cstraject.dossiers.models import Dossier
from cstraject.impact.services import final_report_cosign, final_report_submit
from cstraject.reporting.answer_text import eur, number, part_text, pct, score
from cstraject.reporting.statistics import question_tables
from tests.factories import CallFactory, DossierFactory
from tests.impact.helpers import maturity, valid_report, with_framework


def test_dutch_number_formats():
    assert eur(Decimal("935757.61")) == "EUR 935.757,61"
    assert eur(Decimal("-5")) == "-EUR 5,00"
    assert number(1234) == "1.234" and number(Decimal("4.25")) == "4,25"
    assert pct(Decimal("12.5")) == "12,5 %" and score(Decimal("4")) == "4,00"


def test_without_records_every_part_says_so(db):
    tables = question_tables(year_from=2030, year_to=2030)
    assert part_text("1a", tables) == ["In deze periode werd geen steun toegekend."]
    assert part_text("1e", tables) == ["In deze periode werd geen steun toegekend, dus ook niet per thema."]
    method = part_text("5", tables)
    assert method[0].startswith("Elk traject wordt afgesloten met een eindverslag")
    assert method[-1].startswith("In deze periode werden nog geen trajecten afgerond")
    assert part_text("3", tables) == []


def test_impact_text_from_the_figures(db):
    call = CallFactory()
    with_framework(call)
    system = system_actor("test")
    for before, after in (("1", "2"), ("2", "2.5")):
        dossier = DossierFactory(call=call, status="in_progress", decided_date=date(2023, 2, 1))
        final_report_submit(actor=system, dossier=dossier, **valid_report(function_maturity=maturity(before, after)))
        final_report_cosign(
            actor=system, dossier=dossier, signatory="K", satisfaction=4, would_recommend=True, changed_practice=False
        )
        Dossier.objects.filter(pk=dossier.pk).update(status="finished", finished_date=date(2023, 9, 1))
    text = " ".join(part_text("5", question_tables(year_from=2023, year_to=2023)))
    assert "In 2023 werden 2 trajecten afgerond; voor 2 ervan is er een medeondertekend eindverslag." in text
    assert "100,0 % van die trajecten toont een hogere maturiteit, met een gemiddelde winst van 0,75 punt" in text
    # Gains 1.0 and 0.5: t(1) = 12.706 gives an interval that includes 0.
    assert "een verbetering is dus (nog) niet statistisch aantoonbaar" in text
    assert "gemiddeld 4,00 op 5" in text and "100,0 % zou het traject aanbevelen" in text
    assert "0,0 % zegt dat het de beveiligingspraktijk veranderde" in text
    assert "nog niet aan de orde" in text  # no follow-up yet
    assert "Per punt maturiteitswinst werd gemiddeld EUR 21.780,00 steun toegekend" in text  # 2 x 16,335 / 1.5
