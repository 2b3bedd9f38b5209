"""Letters: the decision letter of each approval and refusal, the payment notice of each
tranche and the recovery letter, written as DOCX (python-docx) on the agency's letterhead
template (`templates/operations/letters/letterhead.docx`: page, styles, header, footer).

Like notifications they follow the audit trail: the AuditEvent of the decision, payment or
recovery order issues its letter in the same transaction (`letter_for_event`). A letter is
stored with the dossier under MEDIA_ROOT with its SHA-256 and is immutable (`Letter` refuses
update and delete); the provider and the SME contact download it under the documents' rule
(`Action.DOCUMENT_VIEW`).

Language: a letter is written in its addressee's language: the preference (`Profile.language`)
of the company's SME contact(s), else of the provider's users, else Dutch (the agency's
administrative language; also when nobody states one). The texts are Dutch source strings through
gettext, English from the catalogue. What was recorded in Dutch (a case handler's motivation, an
eligibility criterion's reason) is quoted as recorded. The appeal clause is the agency's wording:
CSTRAJECT_LETTER_APPEAL_TEXT (Dutch letters, and English ones when no English wording is set) and
CSTRAJECT_LETTER_APPEAL_TEXT_EN (English letters); unset, the default clause below, translated.
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
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from docx import Document
from docx.shared import Cm

from cstraject.accounts.models import Role
from cstraject.audit.models import AuditAction
from cstraject.core.money import format_euro

from .models import Letter, LetterKind

logger = logging.getLogger("cstraject.letters")
LETTERHEAD = Path(__file__).parent / "templates" / "operations" / "letters" / "letterhead.docx"
HISTORY = timedelta(days=1)
LANGUAGES = ("nl", "en")
# The agency sets the wording of the appeal clause (CSTRAJECT_LETTER_APPEAL_TEXT, ..._EN); this is the default.
DEFAULT_APPEAL = gettext_lazy(
    "Tegen deze beslissing kunt u een gemotiveerd beroep instellen bij het Agentschap Innoveren & Ondernemen, "
    "binnen dertig dagen na de kennisgeving van deze brief, per brief of via het e-loket, met vermelding van de "
    "referentie van het dossier. Het beroep schorst de beslissing niet."
)


def _appeal() -> str:
    configured = getattr(settings, "CSTRAJECT_LETTER_APPEAL_TEXT", "")
    if translation.get_language() == "en":
        configured = getattr(settings, "CSTRAJECT_LETTER_APPEAL_TEXT_EN", "") or configured
    return configured or str(DEFAULT_APPEAL)


def letter_language(dossier) -> str:
    """The addressee's language: the first stated preference of the company's SME contacts, else of the
    provider's users (oldest account first); Dutch when none states one."""
    from cstraject.accounts.models import Role

    users = get_user_model().objects.filter(is_active=True).exclude(profile__language="")
    for role, link in ((Role.SME_CONTACT, {"profile__company_id": dossier.company_id}),
                       (Role.PROVIDER, {"profile__provider_id": dossier.provider_id})):  # fmt: skip
        language = (
            users.filter(profile__role=role, **link).order_by("pk").values_list("profile__language", flat=True).first()
        )
        if language in LANGUAGES:
            return language
    return "nl"


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
    if value in (None, ""):
        return "–"
    return format_euro(Decimal(value))  # in the letter's language: € 1.234,56 or € 1,234.56


def _percent(value: Decimal, places: int) -> str:
    text = f"{value:.{places}f}"
    return text.replace(".", ",") if translation.get_language() != "en" else text


def _day(value) -> str:
    return f"{value:%d-%m-%Y}" if translation.get_language() != "en" else f"{value:%d/%m/%Y}"


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
        _("%(name)s\nOndernemingsnummer %(number)s\n%(postal_code)s %(municipality)s")
        % {
            "name": company.name,
            "number": company.enterprise_number,
            "postal_code": company.postal_code,
            "municipality": company.municipality,
        }
    )
    document.add_paragraph(
        _("Ter kennisgeving aan de dienstverlener: %(provider)s\nBrussel, %(day)s\nOns kenmerk: %(reference)s")
        % {"provider": dossier.provider.name, "day": _day(day), "reference": dossier.reference}
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
    basis = _("inclusief btw") if call.rate_on_vat_inclusive else _("exclusief btw")
    names = {"reference": dossier.reference, "company": dossier.company.name, "provider": dossier.provider.name}
    if approved:
        document.add_heading(_("Beslissing: steun toegekend voor dossier %(reference)s") % names, level=1)
        document.add_paragraph(
            _(
                "Het agentschap kent %(company)s steun toe van %(amount)s voor het cybersecurity verbetertraject "
                "dat %(provider)s uitvoert volgens de ingediende offerte."
            )
            % {**names, "amount": _euro(dossier.subsidy_amount)}
        )
    else:
        document.add_heading(_("Beslissing: aanvraag %(reference)s geweigerd") % names, level=1)
        document.add_paragraph(
            _(
                "Het agentschap weigert de aanvraag van %(company)s voor een cybersecurity verbetertraject bij "
                "%(provider)s."
            )
            % names
        )
    document.add_heading(_("De steun"), level=2)
    _table(
        document,
        [
            (_("Oproep"), f"{call.name} ({call.code})"),
            (_("Pakketten"), dossier.package_mix or "–"),
            (_("Offerte exclusief btw"), _euro(dossier.quote_excl_vat)),
            (
                _("Steunpercentage"),
                _("%(rate)s %% van de offerte %(basis)s")
                % {"rate": _percent(Decimal(call.subsidy_rate) * 100, 2), "basis": basis},
            ),
            (_("Toegekende steun") if approved else _("Gevraagde steun"), _euro(dossier.subsidy_amount)),
        ],
        widths=(5, 11),
    )
    document.add_heading(_("Toegepaste regels"), level=2)
    document.add_paragraph(
        _(
            "De aanvraag is getoetst aan de regels van de oproep %(call)s: de kmo-definitie (aanbeveling "
            "2003/361/EG), de vestiging in het Vlaamse Gewest, de aanvaarde rechtsvormen, de uitgesloten "
            "activiteiten (NACE), de de-minimisplafonds, de frequentieregel en de catalogus van de dienstverlener. "
            "De steun wordt uitbetaald in twee schijven: %(share)s %% wanneer %(threshold)s %% van de offerte "
            "geleverd is, het saldo na afronding, naar verhouding van wat geleverd is."
        )
        % {
            "call": call.code,
            "share": _percent(Decimal(call.tranche1_share) * 100, 0),
            "threshold": _percent(Decimal(call.tranche1_delivery_threshold) * 100, 0),
        }
    )
    document.add_heading(_("Criteria en uitkomst"), level=2)
    rows = _criteria_rows(dossier)
    if rows:
        _table(document, rows, header=(_("Criterium"), _("Uitkomst"), _("Toelichting")), widths=(3.5, 2.5, 10))
    else:
        document.add_paragraph(_("Er zijn geen toetsingsresultaten vastgelegd."))
    if dossier.decision_reason or event.reason:
        document.add_heading(_("Motivering"), level=2)
        document.add_paragraph(dossier.decision_reason or event.reason)
    document.add_heading(_("Beroep"), level=2)
    document.add_paragraph(_appeal())


def _paid(dossier) -> Decimal:
    return dossier.payments.aggregate(total=Sum("amount"))["total"] or Decimal("0.00")


def _payment(document, dossier, event):
    data = event.data or {}
    paid = _paid(dossier)
    document.add_heading(
        _("Betalingsbericht: schijf %(tranche)s van dossier %(reference)s")
        % {"tranche": data.get("tranche", ""), "reference": dossier.reference},
        level=1,
    )
    document.add_paragraph(
        _("Het agentschap betaalt voor het cybersecurity verbetertraject %(reference)s het volgende bedrag.")
        % {"reference": dossier.reference}
    )
    rows = [
        (_("Schijf"), data.get("tranche", "–")),
        (_("Bedrag"), _euro(data.get("amount"))),
        (_("Betaaldatum"), data.get("payment_date", "–")),
    ]
    if data.get("quarter"):
        rows.append((_("Prestatiestaat van kwartaal"), data["quarter"]))
    rows += [
        (_("Toegekende steun"), _euro(dossier.subsidy_amount)),
        (_("Totaal betaald, deze betaling inbegrepen"), _euro(paid)),
        (_("Nog niet betaald"), _euro(dossier.subsidy_amount - paid)),
    ]
    _table(document, rows, widths=(7, 9))
    if event.reason:
        document.add_heading(_("Berekening"), level=2)
        document.add_paragraph(event.reason)


def _recovery(document, dossier, event):
    data = event.data or {}
    document.add_heading(_("Terugvordering voor dossier %(reference)s") % {"reference": dossier.reference}, level=1)
    document.add_paragraph(
        _(
            "Het agentschap vordert voor het cybersecurity verbetertraject %(reference)s een bedrag terug dat te "
            "veel betaald werd."
        )
        % {"reference": dossier.reference}
    )
    _table(
        document,
        [
            (_("Terug te betalen bedrag"), _euro(data.get("amount"))),
            (_("Datum van de terugvordering"), data.get("issued_date", "–")),
            (_("Betaald voor deze terugvordering"), _euro(data.get("paid"))),
        ],
        widths=(7, 9),
    )
    document.add_heading(_("Motivering"), level=2)
    document.add_paragraph(event.reason or "–")
    recovery = dossier.recoveries.filter(pk=data.get("recovery")).first()
    if recovery is not None and recovery.due_date:
        document.add_paragraph(
            _("Gelieve het bedrag uiterlijk op %(due)s over te maken met vermelding van de referentie van het dossier.")
            % {"due": _day(recovery.due_date)}
        )
    else:
        document.add_paragraph(_("Gelieve het bedrag over te maken met vermelding van de referentie van het dossier."))
    document.add_heading(_("Beroep"), level=2)
    document.add_paragraph(_appeal())


TITLES = {
    LetterKind.DECISION_APPROVED: gettext_lazy("Beslissingsbrief (goedkeuring) %(reference)s"),
    LetterKind.DECISION_REJECTED: gettext_lazy("Beslissingsbrief (weigering) %(reference)s"),
    LetterKind.PAYMENT_NOTICE: gettext_lazy("Betalingsbericht schijf %(tranche)s %(reference)s"),
    LetterKind.RECOVERY_NOTICE: gettext_lazy("Terugvorderingsbrief %(reference)s"),
}


def _title(kind: str, dossier, event) -> str:
    return str(TITLES[LetterKind(kind)]) % {
        "reference": dossier.reference,
        "tranche": (event.data or {}).get("tranche", ""),
    }


def letter_render(*, kind: str, dossier, event, language: str = "nl") -> bytes:
    with translation.override(language):
        document = Document(str(LETTERHEAD))
        document.core_properties.title = _title(kind, dossier, event)
        document.core_properties.author = "VLAIO"
        document.core_properties.language = language
        _addressee(document, dossier, timezone.localdate(event.occurred_at))
        if kind in (LetterKind.DECISION_APPROVED, LetterKind.DECISION_REJECTED):
            _decision(document, dossier, event, approved=kind == LetterKind.DECISION_APPROVED)
        elif kind == LetterKind.PAYMENT_NOTICE:
            _payment(document, dossier, event)
        else:
            _recovery(document, dossier, event)
        document.add_paragraph("\n" + _("Met vriendelijke groeten,\nAgentschap Innoveren & Ondernemen"))
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
    language = letter_language(dossier)
    content = letter_render(kind=kind, dossier=dossier, event=event, language=language)
    with translation.override(language):
        title = _title(kind, dossier, event)
    letter = Letter(
        dossier=dossier,
        audit_event=event,
        kind=kind,
        language=language,
        title=title,
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
