"""Writes the web application adds to the lifecycle: documents uploaded with
an application, the SME's confirmation. Role and tenant rules are checked here."""

import hashlib
import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cstraject.accounts.actors import Actor
from cstraject.accounts.permissions import Action, require
from cstraject.audit.models import AuditAction
from cstraject.audit.services import audit_event_record
from cstraject.dossiers.models import DocumentKind, Dossier, DossierDocument, DossierStatus

from .pdf_check import PdfRefused, active_content, html_sniffed
from .uploads import MAX_DOCUMENT_BYTES
from .virus_scan import ScanUnavailable, virus_scan

logger = logging.getLogger(__name__)

PDF_MAGIC = b"%PDF-"


@dataclass(frozen=True)
class CheckedPdf:
    original_name: str
    content: bytes
    sha256: str


def pdf_check(uploaded, *, field: str) -> CheckedPdf:
    """A PDF we accept, or a ValidationError naming `field` in Dutch.

    .pdf extension, at most 10 MB, %PDF- magic bytes, no HTML in the first kilobyte, parses
    with pypdf and has no active content (`pdf_check.active_content`), and, when a scanner is
    configured, clean by the virus scan (`virus_scan`)."""
    name = str(getattr(uploaded, "name", "") or "")
    shown = name[-80:]
    if not name.lower().endswith(".pdf"):
        raise ValidationError(
            {
                field: (
                    _("'%(shown)s' is geen PDF: alleen bestanden met de extensie .pdf worden aanvaard.")
                    % {"shown": shown}
                )
            }
        )
    size = getattr(uploaded, "size", None)
    if size is not None and size > MAX_DOCUMENT_BYTES:
        raise ValidationError(
            {
                field: (
                    _("'%(shown)s' is %(size)s MB; het maximum is 10 MB.")
                    % {"shown": shown, "size": format(size / 1024 / 1024, ".1f")}
                )
            }
        )
    uploaded.seek(0)
    content = uploaded.read(MAX_DOCUMENT_BYTES + 1)
    if len(content) > MAX_DOCUMENT_BYTES:
        raise ValidationError({field: (_("'%(shown)s' is groter dan 10 MB.") % {"shown": shown})})
    if not content.startswith(PDF_MAGIC):
        raise ValidationError(
            {field: (_("'%(shown)s' is geen geldige PDF (het bestand begint niet met %%PDF-).") % {"shown": shown})}
        )
    if html_sniffed(content):
        raise ValidationError({field: _("'%(name)s' wordt geweigerd: het bevat HTML.") % {"name": shown}})
    try:
        found = active_content(content)
    except PdfRefused as refused:
        raise ValidationError({field: _("'%(name)s' wordt geweigerd: %(why)s.") % {"name": shown, "why": refused}})
    if found:
        raise ValidationError(
            {
                field: _("'%(name)s' wordt geweigerd: het bevat %(what)s. Laad een PDF op zonder actieve inhoud.")
                % {"name": shown, "what": ", ".join(found)}
            }
        )
    try:
        scan = virus_scan(content)
    except ScanUnavailable as error:
        logger.error("Virus scan unavailable, upload refused: %s", error)
        raise ValidationError(
            {field: _("'%(name)s' kon niet op virussen gescand worden; probeer later opnieuw.") % {"name": shown}}
        )
    if scan is not None and not scan.clean:
        logger.warning("Virus scan found %s in upload %r", scan.signature, shown)
        raise ValidationError(
            {
                field: _("'%(name)s' wordt geweigerd: de virusscan vond %(signature)s.")
                % {"name": shown, "signature": scan.signature}
            }
        )
    return CheckedPdf(original_name=name[-255:], content=content, sha256=hashlib.sha256(content).hexdigest())


@transaction.atomic
def document_attach(*, actor: Actor, dossier: Dossier, kind: str, pdf: CheckedPdf) -> DossierDocument:
    """Store a checked PDF with the dossier. Quote and declarations only while the dossier is a draft."""
    require(actor, Action.DOCUMENT_UPLOAD, dossier)
    if kind not in DocumentKind.values:
        raise ValidationError({"kind": (_("Documentsoort '%(kind)s' is onbekend.") % {"kind": kind})})
    if kind in (DocumentKind.QUOTE, DocumentKind.DECLARATIONS) and dossier.status != DossierStatus.DRAFT:
        raise ValidationError({kind: _("Offerte en verklaringen kunnen alleen bij een ontwerp opgeladen worden.")})
    document = DossierDocument(
        dossier=dossier,
        kind=kind,
        original_name=pdf.original_name,
        size_bytes=len(pdf.content),
        sha256=pdf.sha256,
        uploaded_by_id=actor.user_id,
    )
    document.file.save("upload.pdf", ContentFile(pdf.content), save=False)
    stored = document.file.name
    try:
        document.save()
        audit_event_record(
            actor=actor,
            action=AuditAction.DOCUMENT,
            dossier=dossier,
            reason=(_("Document opgeladen: %(kind)s.") % {"kind": DocumentKind(kind).label}),
            data={
                "kind": kind,
                "sha256": pdf.sha256,
                "size_bytes": len(pdf.content),
                "original_name": pdf.original_name,
            },
        )
    except Exception:
        if stored:
            document.file.storage.delete(stored)
        raise
    return document


def latest_documents(dossier: Dossier) -> dict[str, DossierDocument]:
    """The newest document of each kind."""
    latest = {}
    for document in DossierDocument.objects.filter(dossier=dossier).order_by("uploaded_at", "id"):
        latest[document.kind] = document
    return latest


@transaction.atomic
def sme_confirm(*, actor: Actor, dossier: Dossier) -> Dossier:
    """The SME contact confirms the quote and the declarations made in its name."""
    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
    require(actor, Action.DOSSIER_CONFIRM, dossier)
    if dossier.status not in (DossierStatus.DRAFT, DossierStatus.SUBMITTED):
        raise ValidationError({"confirm": _("Bevestigen kan alleen voor de beslissing over de aanvraag.")})
    if dossier.sme_confirmed_at is not None:
        raise ValidationError({"confirm": _("U hebt deze aanvraag al bevestigd.")})
    dossier.sme_confirmed_at = timezone.now()
    dossier.save(update_fields=["sme_confirmed_at", "updated_at"])
    audit_event_record(
        actor=actor,
        action=AuditAction.EDIT,
        dossier=dossier,
        reason=_("Offerte en verklaringen op eer bevestigd door de kmo."),
        data={"sme_confirmed_at": dossier.sme_confirmed_at.isoformat(), "quote_excl_vat": str(dossier.quote_excl_vat)},
    )
    return dossier
