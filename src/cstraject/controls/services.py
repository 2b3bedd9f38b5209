"""Writes on controls: plan a control, record one with its findings.

`control_record` validates everything first (dossier, kind, trigger, outcome,
every finding) and writes nothing when anything is wrong. A finding with a
financial effect creates the recovery order (payments.services.recovery_create)
in the same transaction; the effects of a control may not exceed what was paid
and not yet ordered back.

`standard_control_record` is what the lifecycle calls for its own checks
(eligibility at the decision, the statement check before a payment): the
caller's service has already checked who may act.
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cstraject.accounts.actors import Actor
from cstraject.accounts.permissions import Action, require
from cstraject.audit.models import AuditAction
from cstraject.audit.services import audit_event_record
from cstraject.core.money import ZERO, format_euro, parse_amount
from cstraject.core.numbers import format_date, format_number
from cstraject.dossiers.models import Dossier
from cstraject.payments.selectors import paid_total, recovered_ordered
from cstraject.payments.services import recovery_create

from .models import (
    Control,
    ControlKind,
    ControlOutcome,
    ControlStatus,
    ControlTrigger,
    Finding,
    FindingCategory,
    SelectedDossier,
)


def _dossier(dossier, errors: dict) -> Dossier | None:
    if isinstance(dossier, Dossier):
        return dossier
    reference = (str(dossier) if dossier is not None else "").strip()
    if not reference:
        errors["dossier"] = _("Geef het dossier van de controle.")
        return None
    found = Dossier.objects.filter(reference=reference).first()
    if found is None:
        errors["dossier"] = _("Dossier %(reference)s bestaat niet.") % {"reference": reference}
    return found


def _choice(value, choices, field: str, errors: dict, what: str) -> str:
    if value in choices.values:
        return value
    if not value:
        errors[field] = _("Geef %(what)s.") % {"what": what}
    else:
        errors[field] = _("%(what)s '%(value)s' bestaat niet; kies uit: %(choices)s.") % {
            "what": what.capitalize(),
            "value": value,
            "choices": ", ".join(choices.values),
        }
    return ""


def _day(value, field: str, errors: dict) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        errors[field] = _("'%(value)s' is geen datum; schrijf JJJJ-MM-DD.") % {"value": value}
        return None


def _control_data(control: Control, findings: list[Finding]) -> dict:
    return {
        "control": control.pk,
        "kind": control.kind,
        "trigger": control.trigger,
        "status": control.status,
        "planned_date": control.planned_date.isoformat() if control.planned_date else None,
        "performed_date": control.performed_date.isoformat() if control.performed_date else None,
        "outcome": control.outcome,
        "findings": [
            {
                "category": f.category,
                "financial_effect": str(f.financial_effect),
                "fraud_referred": f.fraud_referred,
                "recovery": f.recovery_id,
            }
            for f in findings
        ],
    }


@transaction.atomic
def control_plan(
    *,
    actor: Actor,
    dossier,
    kind: str,
    trigger: str,
    planned_date,
    scope: str,
    selected: SelectedDossier | None = None,
) -> Control:
    """A control to be performed: kind, trigger, planned date and scope."""
    require(actor, Action.CONTROL_PLAN)
    errors: dict = {}
    found = _dossier(dossier, errors)
    kind = _choice(kind, ControlKind, "kind", errors, _("de soort controle"))
    trigger = _choice(trigger, ControlTrigger, "trigger", errors, _("de aanleiding"))
    planned = _day(planned_date, "planned_date", errors)
    if planned is None and "planned_date" not in errors:
        errors["planned_date"] = _("Geef de geplande datum.")
    scope = (scope or "").strip()
    if not scope:
        errors["scope"] = _("Beschrijf wat de controle nagaat (reikwijdte).")
    if errors:
        raise ValidationError(errors)
    assert found is not None  # no error: the dossier was found
    control = Control.objects.create(
        dossier=found,
        kind=kind,
        trigger=trigger,
        status=ControlStatus.PLANNED,
        planned_date=planned,
        controller_id=actor.user_id,
        controller_label=actor.label,
        scope=scope,
        selected=selected,
    )
    audit_event_record(
        actor=actor,
        action=AuditAction.CONTROL,
        dossier=found,
        reason=_("Controle gepland: %(kind)s.") % {"kind": ControlKind(kind).label},
        data=_control_data(control, []),
    )
    return control


def _read_findings(findings, errors: dict) -> list[dict]:
    read = []
    for i, raw in enumerate(findings or []):
        prefix = f"findings[{i}]"
        raw = raw or {}
        category = _choice(
            raw.get("category") or "", FindingCategory, f"{prefix}.category", errors, _("de categorie van de bevinding")
        )
        description = (raw.get("description") or "").strip()
        if not description:
            errors[f"{prefix}.description"] = _("Beschrijf de bevinding.")
        effect = ZERO
        if raw.get("financial_effect") not in (None, ""):
            try:
                effect = parse_amount(raw["financial_effect"], field=f"{prefix}.financial_effect")
            except ValidationError as error:
                errors.update(error.message_dict)
        read.append(
            {
                "category": category,
                "description": description,
                "financial_effect": effect,
                "fraud_referred": bool(raw.get("fraud_referred", False)),
            }
        )
    return read


def _check_outcome(outcome: str, findings: list[dict], errors: dict) -> None:
    if not outcome:
        return
    if outcome == ControlOutcome.NO_FINDINGS and findings:
        errors["outcome"] = _("Uitkomst 'geen bevindingen' kan niet samen met %(n)s bevinding(en).") % {
            "n": len(findings)
        }
    if outcome != ControlOutcome.NO_FINDINGS and not findings:
        errors["findings"] = _("Uitkomst '%(outcome)s' vraagt minstens één bevinding met haar categorie.") % {
            "outcome": ControlOutcome(outcome).label
        }
    referred = any(f["fraud_referred"] for f in findings)
    if outcome == ControlOutcome.SUSPECTED_FRAUD and findings and not referred:
        errors["findings"] = _("Bij een vermoeden van fraude wordt minstens één bevinding doorverwezen.")
    if referred and outcome != ControlOutcome.SUSPECTED_FRAUD:
        errors["outcome"] = _("Een doorverwezen bevinding hoort bij de uitkomst 'vermoeden van fraude'.")


def _check_effects(dossier: Dossier, findings: list[dict], errors: dict) -> None:
    if not any(f["financial_effect"] for f in findings):
        return
    paid = paid_total(dossier=dossier)
    ordered = recovered_ordered(dossier=dossier)
    room = paid - ordered
    running = ZERO
    for i, finding in enumerate(findings):
        running += finding["financial_effect"]
        if finding["financial_effect"] and running > room:
            errors[f"findings[{i}].financial_effect"] = _(
                "Financieel effect %(effect)s brengt het totaal van deze controle op %(total)s, meer dan betaald "
                "(%(paid)s) min al teruggevorderd (%(ordered)s) = %(room)s voor dossier %(reference)s."
            ) % {
                "effect": format_euro(finding["financial_effect"]),
                "total": format_euro(running),
                "paid": format_euro(paid),
                "ordered": format_euro(ordered),
                "room": format_euro(room),
                "reference": dossier.reference,
            }
            return


def _write_findings(actor: Actor, control: Control, findings: list[dict], performed: date) -> list[Finding]:
    written = []
    for finding in findings:
        recovery = None
        if finding["financial_effect"] > 0:
            recovery = recovery_create(
                actor=actor,
                dossier=control.dossier,
                amount=finding["financial_effect"],
                reason=_("Bevinding bij %(kind)s: %(category)s. %(description)s")
                % {
                    "kind": ControlKind(control.kind).label,
                    "category": FindingCategory(finding["category"]).label,
                    "description": finding["description"],
                },
                issued_date=performed,
            )
        written.append(Finding.objects.create(control=control, recovery=recovery, **finding))
    return written


@transaction.atomic
def control_record(
    *,
    actor: Actor,
    control: Control | None = None,
    dossier=None,
    kind: str | None = None,
    trigger: str | None = None,
    performed_date=None,
    outcome: str,
    scope: str = "",
    conclusion: str = "",
    findings=(),
) -> Control:
    """Record a performed control: a planned one (`control`) or a new one (`dossier`, `kind`, `trigger`)."""
    require(actor, Action.CONTROL_RECORD)
    return _record(
        actor=actor,
        control=control,
        dossier=dossier,
        kind=kind,
        trigger=trigger,
        performed_date=performed_date,
        outcome=outcome,
        scope=scope,
        conclusion=conclusion,
        findings=findings,
    )


def _record(*, actor, control, dossier, kind, trigger, performed_date, outcome, scope, conclusion, findings):
    errors: dict = {}
    today = timezone.localdate()
    if control is not None:
        control = Control.objects.select_for_update().select_related("dossier").get(pk=control.pk)
        if control.status != ControlStatus.PLANNED:
            errors["control"] = _("Controle %(id)s is al uitgevoerd op %(date)s.") % {
                "id": control.pk,
                "date": format_date(control.performed_date),
            }
        found = control.dossier
        kind, trigger = control.kind, control.trigger
    else:
        found = _dossier(dossier, errors)
        kind = _choice(kind, ControlKind, "kind", errors, _("de soort controle"))
        trigger = _choice(trigger, ControlTrigger, "trigger", errors, _("de aanleiding"))
    performed = _day(performed_date, "performed_date", errors) or (None if "performed_date" in errors else today)
    if performed and performed > today:
        errors["performed_date"] = _("Datum %(day)s ligt in de toekomst (vandaag is %(today)s).") % {
            "day": format_date(performed),
            "today": format_date(today),
        }
    outcome = _choice(outcome, ControlOutcome, "outcome", errors, _("de uitkomst"))
    scope = (scope or "").strip() or (control.scope if control else "")
    if not scope:
        errors["scope"] = _("Beschrijf wat de controle nagaat (reikwijdte).")
    read = _read_findings(findings, errors)
    _check_outcome(outcome, read, errors)
    if found is not None and not errors:
        _check_effects(found, read, errors)
    if errors:
        raise ValidationError(errors)
    if control is None:
        control = Control(dossier=found, kind=kind, trigger=trigger)
    control.status = ControlStatus.PERFORMED
    control.performed_date = performed
    control.controller_id = actor.user_id
    control.controller_label = actor.label
    control.scope = scope
    control.outcome = outcome
    control.conclusion = (conclusion or "").strip()
    control.save()
    written = _write_findings(actor, control, read, performed)
    audit_event_record(
        actor=actor,
        action=AuditAction.CONTROL,
        dossier=found,
        reason=_("Controle uitgevoerd: %(kind)s, %(outcome)s.")
        % {"kind": ControlKind(kind).label, "outcome": ControlOutcome(outcome).label},
        data=_control_data(control, written),
    )
    return control


def standard_control_record(
    *,
    actor: Actor,
    dossier: Dossier,
    kind: str,
    performed_date: date | None,
    scope: str,
    findings=(),
    conclusion: str = "",
) -> Control:
    """A check the lifecycle performs itself, recorded as a control (trigger: standard step).

    Called inside the transaction of the lifecycle service, which checked who may act."""
    outcome = ControlOutcome.IRREGULARITY if findings else ControlOutcome.NO_FINDINGS
    return _record(
        actor=actor,
        control=None,
        dossier=dossier,
        kind=kind,
        trigger=ControlTrigger.STANDARD,
        performed_date=performed_date,
        outcome=outcome,
        scope=scope,
        conclusion=conclusion,
        findings=findings,
    )


# Eligibility criteria whose failure is a finding of its own category; any other failed criterion is "other".
CRITERION_CATEGORY = {
    "sme": FindingCategory.NOT_SME,
    "declarations": FindingCategory.FALSE_DECLARATION,
    "de_minimis": FindingCategory.DOUBLE_FUNDING,
    "frequency": FindingCategory.DOUBLE_FUNDING,
}


def application_check_record(*, actor: Actor, dossier: Dossier, on_date: date | None, failed: list) -> Control:
    """The check at application, recorded when the case handler decides (approve or reject).

    `failed` are the failed eligibility results (criterion, reason) the decision rests on."""
    findings = [
        {
            "category": CRITERION_CATEGORY.get(result.criterion, FindingCategory.OTHER),
            "description": f"{result.criterion_label}: {result.reason}",
        }
        for result in failed
    ]
    return standard_control_record(
        actor=actor,
        dossier=dossier,
        kind=ControlKind.APPLICATION,
        performed_date=on_date,
        scope=_(
            "Subsidiabiliteitstoets bij de beslissing over de aanvraag (kmo-status, frequentie, de-minimis, "
            "rechtsvorm, activiteit, offerte, verklaringen op eer)."
        ),
        findings=findings,
    )


def application_check_on_decision(sender, *, actor, dossier, on_date, failed, **kwargs) -> Control:
    """Receiver of dossiers.signals.application_decided: the decision's check as a control."""
    return application_check_record(actor=actor, dossier=dossier, on_date=on_date, failed=failed)


def not_sme_refusal_import(*, actor: Actor, dossier: Dossier, on_date: date | None, reason: str) -> Control:
    """A historical refusal because the firm was no SME: a control at application, finding 'not an SME',
    no financial effect (nothing was paid), so no recovery."""
    return standard_control_record(
        actor=actor,
        dossier=dossier,
        kind=ControlKind.APPLICATION,
        performed_date=on_date,
        scope=_("Subsidiabiliteitstoets bij de aanvraag (kmo-status)."),
        findings=[{"category": FindingCategory.NOT_SME, "description": reason, "financial_effect": Decimal("0")}],
        conclusion=_("Aanvraag geweigerd; er was nog niets betaald, dus geen terugvordering."),
    )


def desk_review_record(*, actor: Actor, dossier: Dossier, statement, on_date: date) -> Control:
    """The performance statement checked before a payment is approved: a desk review without findings."""
    return standard_control_record(
        actor=actor,
        dossier=dossier,
        kind=ControlKind.DESK_REVIEW,
        performed_date=on_date,
        scope=_(
            "Prestatiestaat %(quarter)s nagekeken voor de betaling: geleverd %(amount)s van %(quote)s excl. btw, "
            "%(days)s van %(quote_days)s mensdagen."
        )
        % {
            "quarter": statement.quarter,
            "amount": format_euro(statement.delivered_amount),
            "quote": format_euro(dossier.quote_excl_vat),
            "days": format_number(statement.delivered_man_days),
            "quote_days": format_number(dossier.quote_man_days),
        },
    )
