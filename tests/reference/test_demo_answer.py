"""`cstraject demo` writes the workbook, the CSV and the Word answer with 1e and 5 filled from the records."""

import csv
import io

import openpyxl
from django.core.management import call_command
from docx import Document


def test_demo_writes_xlsx_csv_and_docx_with_themes_and_impact(db, tmp_path, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"  # as without CSTRAJECT_EMAIL_HOST
    out = io.StringIO()
    call_command("demo", "--no-serve", "--output-dir", str(tmp_path), stdout=out)
    assert "antwoord.docx" in out.getvalue()
    # The live dossiers' e-mails as files in the output folder, their letters in the web application.
    # Django's file backend appends the messages of one connection (or of one name) to one file.
    written = "".join(path.read_text() for path in (tmp_path / "berichten").iterdir())
    assert written.count("\nSubject: ") == 11 and "Subject: Dossier CS-2023-" in written
    assert f"Berichten: 11 verstuurd, als bestanden in {tmp_path / 'berichten'}" in out.getvalue()
    assert "Brieven: 5, te downloaden als dienstverlener of kmo op http://127.0.0.1:8000/dossiers/" in out.getvalue()
    rows = list(csv.DictReader(io.StringIO((tmp_path / "cijfers.csv").read_text(encoding="utf-8"))))
    themed = [r for r in rows if r["table"] == "1e_thema_functie" and r["year"] == "2024" and r["measure"] == "bedrag"]
    assert sum(float(r["value"]) for r in themed if r["category"] != "Totaal") > 0
    impact = {r["measure"]: r["value"] for r in rows if r["table"] == "5_impact_jaar" and r["category"] == "Totaal"}
    assert int(impact["eindverslag"]) > 100 and impact["behoud"] != ""
    book = openpyxl.load_workbook(tmp_path / "antwoord.xlsx")
    assert {"1e thema's", "5 impact"} <= set(book.sheetnames)
    text = "\n".join(p.text for p in Document(str(tmp_path / "antwoord.docx")).paragraphs)
    assert "Vraag 1e" in text and "Vraag 5" in text and "opvolgingsbevragingen" in text
