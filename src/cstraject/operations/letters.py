"""Letters: the decision letter of each approval and refusal, the payment notice of each
tranche and the recovery letter, written as DOCX (python-docx) on the agency's letterhead
template (`templates/operations/letters/letterhead.docx`: page, styles, header, footer).

Like notifications they follow the audit trail: the AuditEvent of the decision, payment or
recovery order issues its letter in the same transaction (`letter_for_event`). A letter is
stored with the dossier under MEDIA_ROOT with its SHA-256 and is immutable (`Letter` refuses
update and delete); the provider and the SME contact download it under the documents' rule
(`Action.DOCUMENT_VIEW`). Letters are in Dutch, the agency's administrative language.
Events of the system role (imports, the reference data) and events dated more than a day
back issue no letter: history is not re-sent.
"""

import hashlib
import io
import logging
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from docx import Document
from docx.shared import Cm

from cstraject.accounts.models import Role
from cstraject.audit.models import AuditAction
from cstraject.core.money import format_euro

from .models import Letter, LetterKind

logger = logging.getLogger("cstraject.letters")
LETTERHEAD = Path(__file__).parent / "templates" / "operations" / "letters" / "letterhead.docx"
HISTORY = timedelta(days=1)
# The agency sets the wording of the appeal clause (CSTRAJECT_LETTER_APPEAL_TEXT); this is the default.
DEFAULT_APPEAL = (
    "Tegen deze beslissing kunt u een gemotiveerd beroep instellen bij het Agentschap Innoveren & Ondernemen, "
    "binnen dertig dagen na de kennisgeving van deze brief, per brief of via het e-loket, met vermelding van de "
    "referentie van het dossier. Het beroep schorst de beslissing niet."
)


def _appeal() -> str:
    return getattr(settings, "CSTRAJECT_LETTER_APPEAL_TEXT", "") or DEFAULT_APPEAL


def _kind_for(event) -> str | None:
    if event.action == AuditAction.TRANSITION and event.to_status == "approved":
        return LetterKind.DECISION_APPROVED
    if event.action == AuditAction.TRANSITION and event.to_status == "rejected":
        return LetterKind.DECISION_REJECTED
    if event.action == AuditAction.PAYMENT:
        return LetterKind.PAYMENT_NOTICE
    if event.action == AuditAction.RECOVERY:
        return LetterKind.RECOVERY_NOTICE
    return None


def _euro(value) -> str:
    return format_euro(Decimal(value)) if value not in (None, "") else "–"


def _table(document, rows, *, header=None, widths=None):
    table = document.add_table(rows=0, cols=len(rows[0]) if rows else len(header))
    table.style = "Table Grid"
    for values in ([header] if header else []) + list(rows):
        cells = table.add_row().cells
        for cell, value in zip(cells, values):
            cell.text = str(value)
    if header:
        for cell in table.rows[0].cells:
            for run in cell.paragraphs[0].runs:
                run.bold = True
    if widths:
        for row in table.rows:
            for cell, width in zip(row.cells, widths):
                cell.width = Cm(width)
    return table


def _addressee(document, dossier, day):
    company = dossier.company
    document.add_paragraph(
        f"{company.name}\nOndernemingsnummer {company.enterprise_number}\n{company.postal_code} {company.municipality}"
    )
    document.add_paragraph(
        f"Ter kennisgeving aan de dienstverlener: {dossier.provider.name}\n"
        f"Brussel, {day:%d-%m-%Y}\nOns kenmerk: {dossier.reference}"
    )


def _criteria_rows(dossier):
    results = list(dossier.eligibility_results.filter(stage="decision").order_by("checked_at", "id"))
    if not results:
        results = list(dossier.eligibility_results.order_by("checked_at", "id"))
    latest = {}
    for result in results:  # the last check of each criterion
        latest[result.criterion] = result
    return [(r.criterion_label, r.get_outcome_display(), r.reason) for r in latest.values()]


def _decision(document, dossier, event, approved: bool):
    call = dossier.call
    basis = "inclusief btw" if call.rate_on_vat_inclusive else "exclusief btw"
    if approved:
        document.add_heading(f"Beslissing: steun toegekend voor dossier {dossier.reference}", level=1)
        document.add_paragraph(
            f"Het agentschap kent {dossier.company.name} steun toe van {_euro(dossier.subsidy_amount)} voor het "
            f"cybersecurity verbetertraject dat {dossier.provider.name} uitvoert volgens de ingediende offerte."
        )
    else:
        document.add_heading(f"Beslissing: aanvraag {dossier.reference} geweigerd", level=1)
        document.add_paragraph(
            f"Het agentschap weigert de aanvraag van {dossier.company.name} voor een cybersecurity "
            f"verbetertraject bij {dossier.provider.name}."
        )
    document.add_heading("De steun", level=2)
    _table(
        document,
        [
            ("Oproep", f"{call.name} ({call.code})"),
            ("Pakketten", dossier.package_mix or "–"),
            ("Offerte exclusief btw", _euro(dossier.quote_excl_vat)),
            ("Steunpercentage", f"{Decimal(call.subsidy_rate) * 100:.2f} % van de offerte {basis}".replace(".", ",")),
            ("Toegekende steun" if approved else "Gevraagde steun", _euro(dossier.subsidy_amount)),
        ],
        widths=(5, 11),
    )
    document.add_heading("Toegepaste regels", level=2)
    document.add_paragraph(
        f"De aanvraag is getoetst aan de regels van de oproep {call.code}: de kmo-definitie (aanbeveling "
        f"2003/361/EG), de vestiging in het Vlaamse Gewest, de aanvaarde rechtsvormen, de uitgesloten "
        f"activiteiten (NACE), de de-minimisplafonds, de frequentieregel en de catalogus van de dienstverlener. "
        f"De steun wordt uitbetaald in twee schijven: {Decimal(call.tranche1_share) * 100:.0f} % wanneer "
        f"{Decimal(call.tranche1_delivery_threshold) * 100:.0f} % van de offerte geleverd is, het saldo na "
        f"afronding, naar verhouding van wat geleverd is."
    )
    document.add_heading("Criteria en uitkomst", level=2)
    rows = _criteria_rows(dossier)
    if rows:
        _table(document, rows, header=("Criterium", "Uitkomst", "Toelichting"), widths=(3.5, 2.5, 10))
    else:
        document.add_paragraph("Er zijn geen toetsingsresultaten vastgelegd.")
    if dossier.decision_reason or event.reason:
        document.add_heading("Motivering", level=2)
        document.add_paragraph(dossier.decision_reason or event.reason)
    document.add_heading("Beroep", level=2)
    document.add_paragraph(_appeal())


def _paid(dossier) -> Decimal:
    return dossier.payments.aggregate(total=Sum("amount"))["total"] or Decimal("0.00")


def _payment(document, dossier, event):
    data = event.data or {}
    paid = _paid(dossier)
    document.add_heading(f"Betalingsbericht: schijf {data.get('tranche', '')} van dossier {dossier.reference}", level=1)
    document.add_paragraph(
        f"Het agentschap betaalt voor het cybersecurity verbetertraject {dossier.reference} het volgende bedrag."
    )
    rows = [
        ("Schijf", data.get("tranche", "–")),
        ("Bedrag", _euro(data.get("amount"))),
        ("Betaaldatum", data.get("payment_date", "–")),
    ]
    if data.get("quarter"):
        rows.append(("Prestatiestaat van kwartaal", data["quarter"]))
    rows += [
        ("Toegekende steun", _euro(dossier.subsidy_amount)),
        ("Totaal betaald, deze betaling inbegrepen", _euro(paid)),
        ("Nog niet betaald", _euro(dossier.subsidy_amount - paid)),
    ]
    _table(document, rows, widths=(7, 9))
    if event.reason:
        document.add_heading("Berekening", level=2)
        document.add_paragraph(event.reason)


def _recovery(document, dossier, event):
    data = event.data or {}
    document.add_heading(f"Terugvordering voor dossier {dossier.reference}", level=1)
    document.add_paragraph(
        f"Het agentschap vordert voor het cybersecurity verbetertraject {dossier.reference} een bedrag terug dat "
        f"te veel betaald werd."
    )
    _table(
        document,
        [
            ("Terug te betalen bedrag", _euro(data.get("amount"))),
            ("Datum van de terugvordering", data.get("issued_date", "–")),
            ("Betaald voor deze terugvordering", _euro(data.get("paid"))),
        ],
        widths=(7, 9),
    )
    document.add_heading("Motivering", level=2)
    document.add_paragraph(event.reason or "–")
    recovery = dossier.recoveries.filter(pk=data.get("recovery")).first()
    due = f"uiterlijk op {recovery.due_date:%d-%m-%Y}" if recovery is not None and recovery.due_date else ""
    document.add_paragraph(
        f"Gelieve het bedrag {due} over te maken met vermelding van de referentie van het dossier.".replace("  ", " ")
    )
    document.add_heading("Beroep", level=2)
    document.add_paragraph(_appeal())


TITLES = {
    LetterKind.DECISION_APPROVED: "Beslissingsbrief (goedkeuring) {ref}",
    LetterKind.DECISION_REJECTED: "Beslissingsbrief (weigering) {ref}",
    LetterKind.PAYMENT_NOTICE: "Betalingsbericht schijf {tranche} {ref}",
    LetterKind.RECOVERY_NOTICE: "Terugvorderingsbrief {ref}",
}


def letter_render(*, kind: str, dossier, event) -> bytes:
    document = Document(str(LETTERHEAD))
    document.core_properties.title = TITLES[LetterKind(kind)].format(
        ref=dossier.reference, tranche=(event.data or {}).get("tranche", "")
    )
    document.core_properties.author = "VLAIO"
    _addressee(document, dossier, timezone.localdate(event.occurred_at))
    if kind in (LetterKind.DECISION_APPROVED, LetterKind.DECISION_REJECTED):
        _decision(document, dossier, event, approved=kind == LetterKind.DECISION_APPROVED)
    elif kind == LetterKind.PAYMENT_NOTICE:
        _payment(document, dossier, event)
    else:
        _recovery(document, dossier, event)
    document.add_paragraph("\nMet vriendelijke groeten,\nAgentschap Innoveren & Ondernemen")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _applicable_kind(event) -> str | None:
    """The letter this event issues, unless it is history or the system's own doing (no query)."""
    if event.dossier_id is None or event.actor_role == Role.SYSTEM or event.occurred_at < timezone.now() - HISTORY:
        return None
    return _kind_for(event)


def letter_for_event(event) -> Letter | None:
    """Issue the letter an audit event calls for; call inside its transaction."""
    kind = _applicable_kind(event)
    if kind is None:
        return None
    dossier = event.dossier
    content = letter_render(kind=kind, dossier=dossier, event=event)
    letter = Letter(
        dossier=dossier,
        audit_event=event,
        kind=kind,
        title=TITLES[LetterKind(kind)].format(ref=dossier.reference, tranche=(event.data or {}).get("tranche", "")),
        sha256=hashlib.sha256(content).hexdigest(),
        size_bytes=len(content),
        issued_at=event.occurred_at,
    )
    letter.file.save("letter.docx", ContentFile(content), save=False)
    stored = letter.file.name
    try:
        letter.save()
    except Exception:
        if stored:
            letter.file.storage.delete(stored)
        raise
    return letter


def _on_audit_event_saved(sender, instance, created, **kwargs):
    if not created or _applicable_kind(instance) is None:  # most events (imports, history): no savepoint
        return
    try:
        with transaction.atomic():  # a savepoint: a fault here never undoes the business change
            letter_for_event(instance)
    except Exception:
        logger.exception("letter for audit event %s not issued", instance.pk)


def connect() -> None:
    from django.db.models.signals import post_save

    from cstraject.audit.models import AuditEvent

    # Before the notifications (connected later), so a message can follow its letter.
    post_save.connect(_on_audit_event_saved, sender=AuditEvent, dispatch_uid="cstraject-letters")
