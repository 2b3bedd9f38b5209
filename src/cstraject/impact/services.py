"""Writes on final reports. Role and tenant rules are checked here, whatever the caller."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cstraject.accounts.actors import Actor
from cstraject.accounts.permissions import Action, require
from cstraject.audit.models import AuditAction
from cstraject.audit.services import audit_event_record
from cstraject.dossiers.models import Dossier, DossierStatus

from .models import FinalReport

REPORTABLE_STATUSES = [DossierStatus.APPROVED, DossierStatus.IN_PROGRESS, DossierStatus.FINISHED]


def _locked(dossier: Dossier) -> Dossier:
    return Dossier.objects.select_for_update().get(pk=dossier.pk)


@transaction.atomic
def final_report_submit(*, actor: Actor, dossier: Dossier, improvements: str, signatory: str) -> FinalReport:
    """The provider writes and signs the final report; it may rewrite it until the SME co-signs."""
    dossier = _locked(dossier)
    require(actor, Action.FINAL_REPORT_SUBMIT, dossier)
    if dossier.status not in REPORTABLE_STATUSES:
        raise ValidationError(
            {
                "improvements": f"Een eindverslag kan pas na goedkeuring; het dossier is '{dossier.get_status_display()}'."
            }
        )
    errors = {}
    if not str(improvements or "").strip():
        errors["improvements"] = "Beschrijf de gerealiseerde verbeteringen."
    if not str(signatory or "").strip():
        errors["signatory"] = "Vul de naam in van wie ondertekent."
    if errors:
        raise ValidationError(errors)
    report = FinalReport.objects.select_for_update().filter(dossier=dossier).first()
    if report is not None and report.is_cosigned:
        raise ValidationError(
            {"improvements": "De kmo heeft het eindverslag al medeondertekend; het kan niet meer gewijzigd worden."}
        )
    now = timezone.now()
    if report is None:
        report = FinalReport(dossier=dossier)
    report.improvements = improvements.strip()
    report.provider_signatory = signatory.strip()
    report.provider_signed_by_id = actor.user_id
    report.provider_signed_at = now
    report.save()
    audit_event_record(
        actor=actor,
        action=AuditAction.DOCUMENT,
        dossier=dossier,
        reason="Eindverslag ondertekend door de dienstverlener.",
        data={"final_report": report.pk},
    )
    return report


@transaction.atomic
def final_report_cosign(
    *, actor: Actor, dossier: Dossier, signatory: str, satisfaction, feedback: str = ""
) -> FinalReport:
    """The SME co-signs the final report and gives its own feedback (satisfaction 1-5)."""
    dossier = _locked(dossier)
    require(actor, Action.FINAL_REPORT_COSIGN, dossier)
    report = FinalReport.objects.select_for_update().filter(dossier=dossier).first()
    errors = {}
    if report is None:
        raise ValidationError({"signatory": "De dienstverlener heeft nog geen eindverslag ingediend."})
    if report.is_cosigned:
        raise ValidationError({"signatory": "Het eindverslag is al medeondertekend."})
    try:
        score = int(satisfaction)
    except (TypeError, ValueError):
        score = None
    if score is None or not 1 <= score <= 5:
        errors["satisfaction"] = "Kies een tevredenheidsscore van 1 tot 5."
    if not str(signatory or "").strip():
        errors["signatory"] = "Vul de naam in van wie medeondertekent."
    if errors:
        raise ValidationError(errors)
    report.sme_signatory = signatory.strip()
    report.sme_signed_by_id = actor.user_id
    report.sme_signed_at = timezone.now()
    report.sme_feedback = str(feedback or "").strip()
    report.satisfaction = score
    report.save()
    audit_event_record(
        actor=actor,
        action=AuditAction.DOCUMENT,
        dossier=dossier,
        reason="Eindverslag medeondertekend door de kmo.",
        data={"final_report": report.pk, "satisfaction": score},
    )
    return report
