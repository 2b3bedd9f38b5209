"""Retention: the dry run lists and changes nothing; apply erases personal data of dossiers past
their period and keeps the statistics' figures; an interrupted run finishes with the same result."""

import hashlib
import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from cstraject.accounts.models import Role
from cstraject.audit.models import AuditEvent
from cstraject.dossiers.models import DocumentKind, Dossier, DossierDocument, DossierStatus
from cstraject.dossiers.services import dossier_reject
from cstraject.operations.models import Erasure, Letter, Notification
from cstraject.payments.models import Payment
from cstraject.payments.services import payment_import
from cstraject.reporting.statistics import question_tables
from cstraject.web.services import CheckedPdf, document_attach
from tests.factories import DossierFactory, actor, user_with_role

pytestmark = pytest.mark.django_db
TODAY = "2026-11-27"


def _pdf(text: str) -> CheckedPdf:
    content = b"%PDF-1.4\n" + text.encode() + b"\n%%EOF\n"
    return CheckedPdf(original_name=f"offerte {text}.pdf", content=content, sha256=hashlib.sha256(content).hexdigest())


@pytest.fixture
def records():
    """Two applications refused in 2020 (past 5 years), one refused in 2024, one trajectory finished in 2022."""
    handler = actor(Role.CASE_HANDLER)
    admin = actor(Role.ADMIN)
    made = {}
    for reference, decided in (
        ("CS-R-0001", date(2020, 3, 2)),
        ("CS-R-0002", date(2020, 6, 1)),
        ("CS-R-0003", date(2024, 5, 1)),
    ):
        dossier = DossierFactory(
            reference=reference,
            status=DossierStatus.SUBMITTED,
            submitted_date=date(decided.year, 1, 15),
            decided_date=None,
            declarations={"sme": True},
        )
        provider = user_with_role(f"p{reference}", Role.PROVIDER, provider=dossier.provider)
        provider.email = f"{reference.lower()}@example.be"
        provider.save()
        document_attach(actor=admin, dossier=dossier, kind=DocumentKind.OTHER, pdf=_pdf(f"van Jan Peeters {reference}"))
        dossier_reject(actor=handler, dossier=dossier, reason="Jan Peeters is geen kmo.", on_date=decided)
        made[reference] = dossier
    finished = DossierFactory(
        reference="CS-R-0004",
        status=DossierStatus.FINISHED,
        finished_date=date(2022, 6, 30),
        declarations={"sme": True},
    )
    payment_import(actor=admin, dossier=finished, tranche=1, amount=Decimal("9801.00"), payment_date=date(2021, 9, 1))
    document_attach(actor=admin, dossier=finished, kind=DocumentKind.OTHER, pdf=_pdf("eindverslag"))
    made["CS-R-0004"] = finished
    return made


def _state():
    return {
        "dossiers": sorted(
            Dossier.objects.values_list(
                "reference",
                "status",
                "province",
                "size_class",
                "nace_code",
                "subsidy_amount",
                "decided_date",
                "declarations",
                "decision_reason",
            )
        ),
        "documents": sorted(DossierDocument.objects.values_list("dossier__reference", "file")),
        "files": sorted(str(p) for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()),
        "letters": sorted(Letter.objects.values_list("dossier__reference", "sha256", "erased_at")),
        "notifications": sorted(Notification.objects.values_list("dossier__reference", "to_address", "body")),
        "erasures": sorted(Erasure.objects.values_list("rule", "dossier__reference")),
        "audit": AuditEvent.objects.count(),
        "payments": sorted(Payment.objects.values_list("dossier__reference", "amount")),
    }


def _run(*args) -> str:
    out = io.StringIO()
    call_command("retention", "apply", "--date", TODAY, *args, stdout=out)
    return out.getvalue()


def _figures():
    return [(t.key, [(r.label, r.values) for r in t.rows]) for t in question_tables(year_from=2020, year_to=2025)]


def test_dry_run_lists_what_it_would_erase_and_changes_nothing(records):
    before = _state()

    output = _run("--dry-run")

    assert _state() == before
    lines = [line for line in output.splitlines() if line.startswith("refused\t")]
    assert [line.split("\t")[1] for line in lines] == ["CS-R-0001", "CS-R-0002"]
    assert "1 document(en), 1 brief(brieven), 1 bericht(en)" in lines[0]
    assert "Zou wissen: 2 dossier(s)" in output and "niets gewijzigd" in output


def test_apply_erases_personal_data_and_keeps_the_figures(records):
    figures = _figures()
    assert sum(len(rows) for _, rows in figures) > 20, "the tables have rows with these dossiers"
    kept = Dossier.objects.get(reference="CS-R-0003")
    letter = Letter.objects.get(dossier__reference="CS-R-0001")
    letter_path = Path(letter.file.path)
    document_path = Path(DossierDocument.objects.get(dossier__reference="CS-R-0001").file.path)

    output = _run()

    assert "Gewist: 2 dossier(s)" in output
    erased = Dossier.objects.get(reference="CS-R-0001")
    assert (erased.declarations, erased.decision_reason) == ({}, "")
    assert not DossierDocument.objects.filter(dossier=erased).exists() and not document_path.exists()
    letter.refresh_from_db()
    assert letter.erased_at is not None and not letter_path.exists() and len(letter.sha256) == 64
    assert list(Notification.objects.filter(dossier=erased).values_list("to_address", "body")) == [("", "")]
    assert "Jan Peeters" not in str(list(Dossier.objects.filter(pk=erased.pk).values()))
    event = AuditEvent.objects.filter(dossier=erased, data__retention="refused").get()
    assert event.data["documents"] == 1 and event.data["letters"] == 1
    # Not yet due: untouched.
    assert DossierDocument.objects.filter(dossier=kept).count() == 1
    assert Dossier.objects.get(pk=kept.pk).decision_reason == "Jan Peeters is geen kmo."
    assert DossierDocument.objects.filter(dossier__reference="CS-R-0004").count() == 1
    # The statistics come out the same.
    assert _figures() == figures


def test_an_interrupted_run_finishes_with_the_same_result(records, tmp_path):
    assert "Gewist: 1 dossier(s)" in _run("--limit", "1")  # stopped after the first dossier
    assert [r for _, r in Erasure.objects.values_list("rule", "dossier__reference")] == ["CS-R-0001"]

    assert "Gewist: 1 dossier(s)" in _run()
    after = _state()
    assert "Gewist: 0 dossier(s)" in _run()
    assert _state() == after
    assert after["erasures"] == [("refused", "CS-R-0001"), ("refused", "CS-R-0002")]
    assert AuditEvent.objects.filter(data__has_key="retention").count() == 2


def test_rules_are_listed_with_their_periods(settings):
    settings.CSTRAJECT_RETENTION_REFUSED_YEARS = 3
    out = io.StringIO()
    call_command("retention", "rules", stdout=out)
    assert "refused\tafgewezen aanvraag\t3 jaar na decided_date" in out.getvalue()
    assert "finished\tafgerond traject\t10 jaar na finished_date" in out.getvalue()


def _sme_contact(username: str, dossier):
    user = user_with_role(username, Role.SME_CONTACT, company=dossier.company)
    user.first_name, user.last_name, user.email = "Jan", "Peeters", f"{username}@kmo.example"
    user.save()
    return user


def test_the_audit_trail_and_the_contacts_of_erased_dossiers_keep_only_what_is_anonymous(records):
    from django.contrib.auth.models import User

    from cstraject.accounts.actors import actor_for_user
    from cstraject.web.services import sme_confirm

    erased, kept = records["CS-R-0001"], records["CS-R-0003"]
    gone = _sme_contact("kmo_r1", erased)
    stays = _sme_contact("kmo_r3", kept)
    # A company with one dossier due and one that is not keeps its contact.
    shared = DossierFactory(reference="CS-R-0005", company=records["CS-R-0002"].company, status=DossierStatus.SUBMITTED)
    both = _sme_contact("kmo_r2", shared)
    sme_confirm(actor=actor_for_user(both), dossier=shared)
    transitions = list(AuditEvent.objects.filter(dossier=erased).values_list("action", "from_status", "to_status"))
    assert "Jan Peeters" in str(list(AuditEvent.objects.filter(dossier=erased).values("reason", "data")))

    output = _run()

    assert "Gewist: 2 dossier(s)" in output and "1 contactpersoon/-personen van kmo's" in output
    trail = list(AuditEvent.objects.filter(dossier=erased).values("reason", "data", "actor_label", "action"))
    assert "Jan Peeters" not in str(trail) and "offerte van" not in str(trail)
    assert (
        list(
            AuditEvent.objects.filter(dossier=erased)
            .exclude(data__has_key="retention")
            .values_list("action", "from_status", "to_status")
        )
        == transitions
    )  # what happened, when and by whom stays
    document = AuditEvent.objects.get(dossier=erased, action="document")
    assert document.data["original_name"] == "[gewist]" and document.data["size_bytes"] > 0
    assert "Jan Peeters" in str(list(AuditEvent.objects.filter(dossier=kept).values("reason", "data")))
    gone.refresh_from_db()
    assert (gone.first_name, gone.last_name, gone.email, gone.is_active) == ("", "", "", False)
    assert not gone.has_usable_password() and gone.username == "kmo_r1"
    assert User.objects.get(pk=stays.pk).email == "kmo_r3@kmo.example"
    assert User.objects.get(pk=both.pk).is_active
    assert AuditEvent.objects.filter(company=erased.company, data__retention="contacts").count() == 1
    assert "Gewist: 0 dossier(s)" in _run() and "0 contactpersoon" in _run()


def test_a_run_interrupted_inside_a_dossier_finishes_with_the_same_result_as_one_run(records, tmp_path):
    from cstraject.accounts.actors import system_actor
    from cstraject.operations.retention import retention_apply

    _sme_contact("kmo_r1", records["CS-R-0001"])

    def crash(item, stage):
        if item.dossier.reference == "CS-R-0002" and stage == "files":
            raise KeyboardInterrupt  # the operator's Ctrl+C: files gone, the dossier's transaction never ran

    with pytest.raises(KeyboardInterrupt):
        retention_apply(actor=system_actor(), today=date.fromisoformat(TODAY), progress=crash)
    assert [r for _, r in Erasure.objects.values_list("rule", "dossier__reference")] == ["CS-R-0001"]
    assert not DossierDocument.objects.get(dossier__reference="CS-R-0002").file.storage.exists(
        DossierDocument.objects.get(dossier__reference="CS-R-0002").file.name
    )

    assert "Gewist: 1 dossier(s)" in _run()
    after = _state()
    assert after["erasures"] == [("refused", "CS-R-0001"), ("refused", "CS-R-0002")]
    assert after["documents"] == [("CS-R-0003", d) for r, d in after["documents"] if r == "CS-R-0003"] + [
        ("CS-R-0004", d) for r, d in after["documents"] if r == "CS-R-0004"
    ]
    assert "Gewist: 0 dossier(s)" in _run()
    assert _state() == after
    assert AuditEvent.objects.filter(data__has_key="retention").count() == 3  # two dossiers, one company


def test_the_figures_of_answer_526_are_the_same_after_a_retention_run(reference_db):
    """Every refused and finished dossier of the reference data past its period is erased: the published
    tables come out the same."""
    from cstraject.accounts.actors import system_actor
    from cstraject.operations.retention import retention_apply

    def figures():
        return [(t.key, [(r.label, r.values) for r in t.rows]) for t in question_tables(year_from=2021, year_to=2022)]

    from django.db.models import Q

    before = figures()
    due = Dossier.objects.filter(
        Q(status="rejected", decided_date__isnull=False)
        | Q(status="withdrawn", withdrawn_date__isnull=False)
        | Q(status="finished", finished_date__isnull=False)
        | Q(status="stopped", stopped_date__isnull=False)
    ).count()
    result = retention_apply(actor=system_actor(), today=date(2040, 1, 1))

    assert len(result["dossiers"]) == due > 0 and Erasure.objects.count() == due
    assert figures() == before
