"""Backup and restore round-trip on the database the suite runs on (SQLite or PostgreSQL)."""

import io
import shutil
import tarfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from cstraject.accounts.models import Role
from cstraject.audit.models import AuditAction, AuditEvent
from cstraject.dossiers.models import DocumentKind, Dossier, DossierDocument
from cstraject.dossiers.services import dossier_reject
from cstraject.operations.models import Letter
from cstraject.payments.models import Payment
from cstraject.payments.services import payment_import
from cstraject.web.services import CheckedPdf, document_attach
from tests.factories import DossierFactory, actor

pytestmark = pytest.mark.django_db(transaction=True)


def _pdf(text: str) -> CheckedPdf:
    import hashlib

    content = b"%PDF-1.4\n" + text.encode() + b"\n%%EOF\n"
    return CheckedPdf(original_name=f"{text}.pdf", content=content, sha256=hashlib.sha256(content).hexdigest())


def _installation():
    """Two dossiers with a payment each and two documents, written through the services."""
    system = actor(Role.SYSTEM)
    admin = actor(Role.ADMIN)
    for n in range(2):
        dossier = DossierFactory(reference=f"CS-B-{n:04d}")
        payment_import(
            actor=system, dossier=dossier, tranche=1, amount=Decimal("9801.00"), payment_date=date(2021, 9, 1)
        )
        document_attach(actor=admin, dossier=dossier, kind=DocumentKind.OTHER, pdf=_pdf(f"document {n}"))
    # A decision: its letter (a stored file) and its notification (the outbox).
    dossier_reject(
        actor=actor(Role.CASE_HANDLER), dossier=DossierFactory(reference="CS-B-0002", status="submitted"), reason="x"
    )


def _snapshot() -> dict:
    return {
        "dossiers": sorted(Dossier.objects.values_list("reference", "status", "subsidy_amount")),
        "payments": sorted(Payment.objects.values_list("dossier__reference", "tranche", "amount", "payment_date")),
        "audit": sorted(
            AuditEvent.objects.exclude(action=AuditAction.BACKUP).values_list(
                "pk", "action", "dossier__reference", "data"
            )
        ),
        "documents": sorted(
            (d.dossier.reference, d.file.name, d.sha256, Path(d.file.path).read_bytes())
            for d in DossierDocument.objects.select_related("dossier")
        ),
        "letters": sorted(
            (letter.dossier.reference, letter.file.name, letter.sha256, Path(letter.file.path).read_bytes())
            for letter in Letter.objects.select_related("dossier")
        ),
    }


def _empty_installation():
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(settings.MEDIA_ROOT)
    Path(settings.MEDIA_ROOT).mkdir()


def test_backup_restores_every_dossier_payment_audit_event_and_document(tmp_path):
    out = io.StringIO()
    _installation()
    before = _snapshot()
    assert (
        len(before["payments"]) == 2 and len(before["documents"]) == 2 and len(before["audit"]) == 6
    )  # the reject records its check at application as a control
    assert len(before["letters"]) == 1
    archive = tmp_path / "backup.tar.gz"

    call_command("backup", "-o", str(archive), stdout=out)

    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert names[0] == "manifest.json"
    assert sum(name.startswith("documents/dossiers/") for name in names) == 2
    assert sum(name.startswith("documents/letters/") for name in names) == 1
    _empty_installation()
    assert not Dossier.objects.exists() and not AuditEvent.objects.exists()

    call_command("restore", str(archive), stdout=out)

    assert _snapshot() == before
    assert "3 dossiers, 2 betalingen, 6 auditgebeurtenissen, 3 documenten." in out.getvalue()
    # The backup's own event is not in its archive; the restore's is in the restored installation.
    (restored,) = AuditEvent.objects.filter(action=AuditAction.BACKUP)
    assert restored.data["operation"] == "restore" and restored.data["file"] == str(archive.resolve())
    assert (restored.data["dossiers"], restored.data["payments"], restored.data["audit_events"]) == (3, 2, 6)
    assert restored.data["documents"] == 3 and restored.actor_label.startswith("cli:")
    assert restored.channel == "cli" and str(archive.resolve()) in restored.reason


def test_a_backup_records_who_made_which_file_with_its_counts(tmp_path):
    _installation()
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", "-o", str(archive), stdout=io.StringIO())
    (event,) = AuditEvent.objects.filter(action=AuditAction.BACKUP)
    assert event.data["operation"] == "backup" and event.data["file"] == str(archive.resolve())
    assert (event.data["dossiers"], event.data["payments"], event.data["audit_events"], event.data["documents"]) == (
        3,
        2,
        6,
        3,
    )
    import hashlib

    assert event.data["sha256"] == hashlib.sha256(archive.read_bytes()).hexdigest()
    assert event.actor_role == Role.SYSTEM and event.channel == "cli" and event.actor_label.startswith("cli:")


def test_restore_into_an_installation_with_data_is_refused_and_changes_nothing(tmp_path):
    out = io.StringIO()
    _installation()
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", "-o", str(archive), stdout=out)
    Dossier.objects.filter(reference="CS-B-0000").update(status="finished")
    before = _snapshot()

    with pytest.raises(CommandError, match=r"niet leeg \(audit.auditevent: 7 rij"):  # 6 + the backup's
        call_command("restore", str(archive))

    assert _snapshot() == before
    assert AuditEvent.objects.filter(action=AuditAction.BACKUP).count() == 1  # the refused restore wrote none


def test_restore_with_documents_left_in_the_folder_is_refused(tmp_path):
    out = io.StringIO()
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", "-o", str(archive), stdout=out)
    (Path(settings.MEDIA_ROOT) / "stray.pdf").write_bytes(b"%PDF-")

    with pytest.raises(CommandError, match=r"1 document\(en\)"):
        call_command("restore", str(archive))


def test_damaged_or_foreign_archive_is_refused_before_anything_changes(tmp_path):
    out = io.StringIO()
    _installation()
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", "-o", str(archive), stdout=out)
    _empty_installation()
    # A document whose bytes no longer match the manifest.
    unpacked = tmp_path / "unpacked"
    with tarfile.open(archive) as tar:
        tar.extractall(unpacked, filter="data")
    next((unpacked / "documents").rglob("*.pdf")).write_bytes(b"%PDF- tampered")
    tampered = tmp_path / "tampered.tar.gz"
    with tarfile.open(tampered, "w:gz") as tar:
        for path in sorted(unpacked.iterdir()):
            tar.add(path, arcname=path.name)
    not_an_archive = tmp_path / "notes.tar.gz"
    not_an_archive.write_text("hello")

    with pytest.raises(CommandError, match="beschadigd"):
        call_command("restore", str(tampered))
    with pytest.raises(CommandError, match="geen leesbare back-up"):
        call_command("restore", str(not_an_archive))

    assert not Dossier.objects.exists()
    assert not any(Path(settings.MEDIA_ROOT).iterdir())


def test_backup_into_a_missing_folder_says_so(tmp_path):
    with pytest.raises(CommandError, match="bestaat niet"):
        call_command("backup", "-o", str(tmp_path / "nowhere" / "b.tar.gz"))
