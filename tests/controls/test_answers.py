"""Questions 2, 2a, 3 and 4 from the records: CSV question codes and measures, the generated control process,
the red flags with their hit rates."""

import csv
import io
from datetime import date
from decimal import Decimal

import openpyxl

from cstraject.accounts.actors import system_actor
from cstraject.accounts.models import Role
from cstraject.controls.answers import control_process
from cstraject.controls.models import ControlKind
from cstraject.controls.screening.indicators import INDICATORS
from cstraject.controls.screening.run import screening_run
from cstraject.controls.services import control_record
from cstraject.dossiers.workflow import TRANSITIONS
from cstraject.reporting.oversight import answer_tables
from cstraject.reporting.report import write_report
from tests.factories import DossierFactory, actor


def figures(year_from=2021, year_to=2022) -> dict[tuple, str]:
    stream = io.StringIO()
    write_report(year_from=year_from, year_to=year_to, target=stream, fmt="csv")
    return {
        (r["question"], r["table"], r["category"], r["year"], r["measure"]): r["value"]
        for r in csv.DictReader(io.StringIO(stream.getvalue()))
    }


def test_reference_2021_two_controls_at_application_not_an_sme_no_recovery(reference_db):
    f = figures()
    assert f[("2", "2_controles_grootte", "groot", "2021", "aantal")] == "2"
    assert f[("2", "2_controles_grootte", "Totaal", "2022", "aantal")] == "0"
    assert f[("2", "2_controles_soort", "controle bij aanvraag,groot", "2021", "aantal")] == "2"
    assert f[("2", "2_controles_aanleiding", "standaardstap,groot", "2021", "aantal")] == "2"
    assert f[("2a", "2a_onregelmatigheden_grootte", "groot", "2021", "onregelmatigheid")] == "2"
    assert f[("2a", "2a_onregelmatigheden_grootte", "groot", "2021", "fraude")] == "0"
    assert f[("2a", "2a_bevindingen_categorie", "geen kmo,groot", "2021", "aantal")] == "2"
    assert f[("2a", "2a_bevindingen_categorie", "geen kmo,groot", "2021", "bedrag")] == "0.00"
    assert not any(key[0] == "2b" and key[2] != "Totaal" for key in f)  # no recovery


def test_controls_by_year_size_kind_trigger_and_outcome(db):
    controller = actor(Role.CONTROLLER)
    micro = DossierFactory(size_class="micro")
    klein = DossierFactory(size_class="klein")
    for dossier, outcome, referred, when in (
        (micro, "no_findings", False, date(2021, 5, 1)),
        (micro, "suspected_fraud", True, date(2022, 6, 1)),
        (klein, "irregularity", False, date(2022, 7, 1)),
    ):
        control_record(
            actor=controller,
            dossier=dossier,
            kind="visit",
            trigger="random",
            performed_date=when,
            outcome=outcome,
            scope="Bezoek.",
            findings=[]
            if outcome == "no_findings"
            else [{"category": "not_delivered", "description": "x", "fraud_referred": referred}],
        )
    f = figures()
    assert f[("2", "2_controles_grootte", "micro", "2021", "aantal")] == "1"
    assert f[("2", "2_controles_grootte", "Totaal", "2022", "aantal")] == "2"
    assert f[("2", "2_controles_aanleiding", "aselecte steekproef,klein", "2022", "aantal")] == "1"
    assert f[("2a", "2a_onregelmatigheden_grootte", "Totaal", "2022", "onregelmatigheid")] == "2"
    assert f[("2a", "2a_onregelmatigheden_grootte", "micro", "2022", "fraude")] == "1"
    assert f[("2a", "2a_bevindingen_categorie", "dienst niet geleverd,micro", "2022", "aantal")] == "1"


def test_control_process_is_generated_from_the_workflow_and_the_kinds(db):
    process = control_process()
    text = " ".join(process.paragraphs)
    for kind in ControlKind:
        assert str(kind.label) in text
    assert f"{len(INDICATORS)} indicatoren" in text
    for transition in TRANSITIONS.values():
        assert any(f"--{transition.label}-->" in line for line in process.diagram)
    approve = next(line for line in process.diagram if "--goedkeuren-->" in line)
    assert "controle bij aanvraag" in approve and "subsidiabiliteitstoets" in approve


def test_question_4_hit_rates_against_the_random_sample(db):
    controller = actor(Role.CONTROLLER)
    flagged = DossierFactory(
        size_class="micro",
        size_headcount=Decimal("9.9"),
        submitted_date=date(2024, 2, 1),
        decided_date=date(2024, 3, 1),
    )
    clean = DossierFactory(size_class="micro", submitted_date=date(2024, 2, 1), decided_date=date(2024, 3, 1))
    screening_run(actor=system_actor(), today=date(2025, 1, 1))
    control_record(
        actor=controller,
        dossier=flagged,
        kind="visit",
        trigger="risk",
        performed_date=date(2024, 9, 1),
        outcome="irregularity",
        scope="x",
        findings=[{"category": "not_sme", "description": "Te groot."}],
    )
    control_record(
        actor=controller,
        dossier=clean,
        kind="visit",
        trigger="random",
        performed_date=date(2024, 9, 2),
        outcome="no_findings",
        scope="x",
    )
    (table,) = answer_tables(year_from=2024, year_to=2024)
    rows = {row.category[1].split(" (")[1].split(",")[0]: row for row in table.rows if "(" in row.category[1]}
    a1 = rows["A1"]
    assert (a1.value("2024", "signalen"), a1.value("2024", "gecontroleerd"), a1.value("2024", "met_bevinding")) == (
        1,
        1,
        1,
    )
    assert a1.value("2024", "trefkans") == Decimal("100.0")
    baseline = next(row for row in table.rows if row.category[0] == "Vergelijkingsbasis")
    assert (baseline.value("2024", "gecontroleerd"), baseline.value("2024", "trefkans")) == (1, Decimal("0.0"))
    assert len(table.rows) == len(INDICATORS) + 1 and table.total.value("2024", "signalen") >= 1
    assert answer_tables(year_from=2030, year_to=2030)[0].is_empty


def test_workbook_has_the_control_process_and_the_red_flags(reference_db, tmp_path):
    screening_run(actor=system_actor(), today=date(2025, 1, 1))
    target = tmp_path / "antwoord.xlsx"
    write_report(year_from=2021, year_to=2022, target=target, fmt="xlsx")
    book = openpyxl.load_workbook(target)
    names = book.sheetnames
    assert names.index("2 controles") < names.index("2b terugvorderingen") < names.index("3 controleproces")
    assert names.index("3 controleproces") < names.index("4 rode vlaggen")
    process = [row[0] for row in book["3 controleproces"].iter_rows(values_only=True) if row[0]]
    assert any("--goedkeuren-->" in line for line in process)
    flags = [row for row in book["4 rode vlaggen"].iter_rows(values_only=True) if row[0]]
    assert any(row[0] == "Dienstverlener" for row in flags)


def test_the_word_answer_has_the_generated_control_process(reference_db, tmp_path):
    import docx

    target = tmp_path / "antwoord.docx"
    write_report(year_from=2021, year_to=2022, target=target, fmt="docx")
    text = "\n".join(p.text for p in docx.Document(str(target)).paragraphs)
    assert "--goedkeuren-->" in text and "bureaucontrole prestatiestaat" in text
    assert "Rode vlaggen van de automatische screening" in text or "Vraag 4" in text
