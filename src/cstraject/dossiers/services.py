"""Writes on dossiers: intake of drafts, workflow transitions, historical imports.

`dossier_create_draft` / `dossier_update_draft` take a provider's application
(quote lines, declarations on honour); `dossier_transition` moves a dossier
along the workflow table in `workflow.py`, running the eligibility check at
submission and decision, setting the milestone dates and writing the audit
event, all in one transaction with the dossier row locked.

`dossier_import` records a dossier whose history happened elsewhere (the
reference dataset, a migration from the agency's spreadsheets): it takes the
status and dates as given but still enforces every rule about the money.
"""

from datetime import date, datetime, time
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cstraject.accounts.actors import Actor
from cstraject.accounts.permissions import Action, require
from cstraject.audit.models import AuditAction
from cstraject.audit.services import audit_event_record
from cstraject.calls.models import Call
from cstraject.companies.models import Company
from cstraject.core.money import format_euro, parse_amount, parse_quantity
from cstraject.core.numbers import format_date, format_number
from cstraject.providers.models import ServiceProvider

from .declarations import declarations_read
from .eligibility import eligibility_check
from .models import Dossier, DossierStatus, EligibilityOutcome, EligibilityStage, QuoteLine, SizeClass
from .quotes import Quote, quote_read
from .signals import application_decided
from .workflow import MILESTONES, transition_check, transition_get


def _check_subsidy(*, quote: Quote, call: Call, subsidy_amount) -> Decimal:
    if subsidy_amount is None:
        return quote.subsidy_amount
    given = parse_amount(subsidy_amount, field="subsidy_amount")
    if given != quote.subsidy_amount:
        percent = call.subsidy_rate * 100
        rate = f"{format_number(percent, places=0 if percent == percent.to_integral_value() else 2)} %"
        base = _("offerte incl. btw") if call.rate_on_vat_inclusive else _("offerte excl. btw")
        raise ValidationError(
            {
                "subsidy_amount": (
                    _(
                        "Steunbedrag %(given)s volgt niet uit de offerte: %(rate)s van de %(base)s (%(total_excl_vat)s excl. btw) is %(subsidy_amount)s."
                    )
                    % {
                        "given": format_euro(given),
                        "rate": rate,
                        "base": base,
                        "total_excl_vat": format_euro(quote.total_excl_vat),
                        "subsidy_amount": format_euro(quote.subsidy_amount),
                    }
                )
            }
        )
    return given


def _size_basis(size_basis: dict | None) -> dict:
    if not size_basis:
        return {}
    values: dict[str, Decimal | int] = {}
    errors = {}
    readers = {
        "size_headcount": lambda v: parse_quantity(v, field="size_basis.headcount"),
        "size_turnover": lambda v: parse_amount(v, field="size_basis.turnover"),
        "size_balance_sheet_total": lambda v: parse_amount(v, field="size_basis.balance_sheet_total"),
    }
    for key, read in readers.items():
        raw = size_basis.get(key.removeprefix("size_"))
        if raw is None:
            continue
        try:
            values[key] = read(raw)
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    if size_basis.get("accounting_year") is not None:
        values["size_accounting_year"] = int(size_basis["accounting_year"])
    return values


@transaction.atomic
def dossier_import(
    *,
    actor: Actor,
    reference: str,
    call: Call,
    provider: ServiceProvider,
    company: Company,
    quote_lines: list[dict],
    size_class: str,
    status: str,
    size_basis: dict | None = None,
    subsidy_amount=None,
    submitted_date: date | None = None,
    decided_date: date | None = None,
    started_date: date | None = None,
    finished_date: date | None = None,
    stopped_date: date | None = None,
    withdrawn_date: date | None = None,
    decision_reason: str = "",
) -> Dossier:
    require(actor, Action.HISTORY_IMPORT)
    if size_class not in SizeClass.values:
        raise ValidationError(
            {
                "size_class": (
                    _("Grootte '%(size_class)s' is onbekend; kies uit %(values)s.")
                    % {"size_class": size_class, "values": ", ".join(SizeClass.values)}
                )
            }
        )
    if status not in DossierStatus.values:
        raise ValidationError({"status": (_("Status '%(status)s' is onbekend.") % {"status": status})})
    if Dossier.objects.filter(reference=reference).exists():
        raise ValidationError({"reference": (_("Dossier %(reference)s bestaat al.") % {"reference": reference})})
    quote = quote_read(call=call, lines=quote_lines)
    subsidy = _check_subsidy(quote=quote, call=call, subsidy_amount=subsidy_amount)
    dossier = Dossier.objects.create(
        reference=reference,
        call=call,
        provider=provider,
        company=company,
        status=status,
        province=company.province,
        nace_code=company.nace_code,
        size_class=size_class,
        **_size_basis(size_basis),
        package_mix=quote.package_mix,
        quote_excl_vat=quote.total_excl_vat,
        quote_man_days=quote.total_man_days,
        subsidy_amount=subsidy,
        submitted_date=submitted_date,
        decided_date=decided_date,
        started_date=started_date,
        finished_date=finished_date,
        stopped_date=stopped_date,
        withdrawn_date=withdrawn_date,
        decision_reason=decision_reason,
    )
    QuoteLine.objects.bulk_create(
        QuoteLine(dossier=dossier, package=line.package, amount_excl_vat=line.amount_excl_vat, man_days=line.man_days)
        for line in quote.lines
    )
    audit_event_record(
        actor=actor,
        action=AuditAction.IMPORT,
        dossier=dossier,
        to_status=status,
        reason=_("Historisch dossier ingelezen."),
        data={"subsidy_amount": str(subsidy), "quote_excl_vat": str(quote.total_excl_vat)},
    )
    return dossier


# --- intake -------------------------------------------------------------------------------


def _next_reference(call: Call) -> str:
    """CS-2023-0001, CS-2023-0002, ...: per call, numbered after the highest in use.

    The call row is locked so two intakes at the same moment get different numbers.
    """
    Call.objects.select_for_update().filter(pk=call.pk).first()
    prefix = f"{call.code}-"
    highest = 0
    for reference in Dossier.objects.filter(reference__startswith=prefix).values_list("reference", flat=True):
        suffix = reference.removeprefix(prefix)
        if suffix.isdigit():
            highest = max(highest, int(suffix))
    return f"{prefix}{highest + 1:04d}"


def _write_quote_lines(dossier: Dossier, quote: Quote) -> None:
    dossier.quote_lines.all().delete()
    QuoteLine.objects.bulk_create(
        QuoteLine(dossier=dossier, package=line.package, amount_excl_vat=line.amount_excl_vat, man_days=line.man_days)
        for line in quote.lines
    )


def _quote_data(quote: Quote) -> dict:
    return {
        "package_mix": quote.package_mix,
        "quote_excl_vat": str(quote.total_excl_vat),
        "quote_man_days": str(quote.total_man_days),
        "subsidy_amount": str(quote.subsidy_amount),
        "lines": [
            {"package": line.package.code, "amount_excl_vat": str(line.amount_excl_vat), "man_days": str(line.man_days)}
            for line in quote.lines
        ],
    }


@transaction.atomic
def dossier_create_draft(
    *,
    actor: Actor,
    call: Call,
    provider: ServiceProvider,
    company: Company,
    quote_lines: list[dict],
    declarations=None,
    on_date: date | None = None,
) -> Dossier:
    """A provider's application as a draft: quote read against the call, subsidy by the call's rule,
    province and NACE activity snapshot from the company.

    `on_date` records a draft entered later (history): its creation date is what question 1g counts
    for an application that was never submitted. Not in the future, not before the call opened."""
    require(actor, Action.DOSSIER_CREATE, provider)
    today = timezone.localdate()
    if on_date is not None and on_date > today:
        raise ValidationError(
            {
                "on_date": (
                    _("Datum %(on_date)s ligt in de toekomst (vandaag is %(today)s).")
                    % {"on_date": format_date(on_date), "today": format_date(today)}
                )
            }
        )
    if on_date is not None and on_date < call.opens_date:
        raise ValidationError(
            {
                "on_date": (
                    _("Oproep %(code)s opende pas op %(opens_date)s, na %(on_date)s.")
                    % {"code": call.code, "opens_date": format_date(call.opens_date), "on_date": format_date(on_date)}
                )
            }
        )
    errors = {}
    try:
        quote = quote_read(call=call, lines=quote_lines)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        declared = declarations_read(declarations)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    dossier = Dossier.objects.create(
        reference=_next_reference(call),
        call=call,
        provider=provider,
        company=company,
        status=DossierStatus.DRAFT,
        province=company.province,
        nace_code=company.nace_code,
        size_class="",
        package_mix=quote.package_mix,
        quote_excl_vat=quote.total_excl_vat,
        quote_man_days=quote.total_man_days,
        subsidy_amount=quote.subsidy_amount,
        declarations=declared,
    )
    _write_quote_lines(dossier, quote)
    if on_date is not None:
        created_at = timezone.make_aware(datetime.combine(on_date, time(12, 0)))
        Dossier.objects.filter(pk=dossier.pk).update(created_at=created_at)
        dossier.created_at = created_at
    audit_event_record(
        actor=actor,
        action=AuditAction.EDIT,
        dossier=dossier,
        to_status=DossierStatus.DRAFT,
        reason=_("Aanvraag aangemaakt als ontwerp."),
        data={
            **_quote_data(quote),
            "declarations": declared,
            "created_date": timezone.localtime(dossier.created_at).date().isoformat(),
        },
    )
    return dossier


@transaction.atomic
def dossier_update_draft(*, actor: Actor, dossier: Dossier, quote_lines=None, declarations=None) -> Dossier:
    """Change the quote and/or the declarations of a draft."""
    locked = Dossier.objects.select_for_update().select_related("call").get(pk=dossier.pk)
    require(actor, Action.DOSSIER_EDIT_DRAFT, locked)
    if locked.status != DossierStatus.DRAFT:
        raise ValidationError(
            {
                "status": (
                    _(
                        "Dossier %(reference)s is niet meer in ontwerp (%(status)s); enkel een ontwerp kan gewijzigd worden."
                    )
                    % {"reference": locked.reference, "status": DossierStatus(locked.status).label}
                )
            }
        )
    data = {}
    if quote_lines is not None:
        quote = quote_read(call=locked.call, lines=quote_lines)
        locked.package_mix = quote.package_mix
        locked.quote_excl_vat = quote.total_excl_vat
        locked.quote_man_days = quote.total_man_days
        locked.subsidy_amount = quote.subsidy_amount
        _write_quote_lines(locked, quote)
        data.update(_quote_data(quote))
    if declarations is not None:
        locked.declarations = {**locked.declarations, **declarations_read(declarations)}
        data["declarations"] = locked.declarations
    locked.save()
    audit_event_record(
        actor=actor,
        action=AuditAction.EDIT,
        dossier=locked,
        from_status=locked.status,
        to_status=locked.status,
        reason="Ontwerp gewijzigd.",
        data=data,
    )
    dossier.refresh_from_db()
    return locked


# --- workflow -----------------------------------------------------------------------------


def _check_date(dossier: Dossier, transition, on_date: date, today: date) -> None:
    if on_date > today:
        raise ValidationError(
            {
                "on_date": (
                    _("Datum %(on_date)s ligt in de toekomst (vandaag is %(today)s).")
                    % {"on_date": format_date(on_date), "today": format_date(today)}
                )
            }
        )
    if transition.date_field in MILESTONES:
        earlier = MILESTONES[: MILESTONES.index(transition.date_field)]
    else:
        earlier = MILESTONES
    previous = [(getattr(dossier, f), f) for f in earlier if getattr(dossier, f)]
    if previous:
        latest, name = max(previous)
        if on_date < latest:
            field = Dossier._meta.get_field(name)
            label = str(field.verbose_name) if isinstance(field, models.Field) else name
            raise ValidationError(
                {
                    "on_date": (
                        _("Datum %(on_date)s ligt vóór '%(label)s' (%(latest)s) van dossier %(reference)s.")
                        % {
                            "on_date": format_date(on_date),
                            "label": label,
                            "latest": format_date(latest),
                            "reference": dossier.reference,
                        }
                    )
                }
            )


def _check_call_open(dossier: Dossier, on_date: date) -> None:
    call = dossier.call
    if on_date < call.opens_date or (call.closes_date and on_date > call.closes_date):
        until = format_date(call.closes_date) if call.closes_date else _("onbepaald")
        raise ValidationError(
            {
                "on_date": (
                    _("Oproep %(code)s loopt van %(opens_date)s tot %(until)s; indienen op %(on_date)s kan niet.")
                    % {
                        "code": call.code,
                        "opens_date": format_date(call.opens_date),
                        "until": until,
                        "on_date": format_date(on_date),
                    }
                )
            }
        )


def _failed_criteria(dossier: Dossier) -> list:
    from .eligibility import eligibility_latest

    return [r for r in eligibility_latest(dossier=dossier) if r.outcome == EligibilityOutcome.FAIL]


def _summary(results) -> dict:
    return {r.criterion: r.outcome for r in results}


@transaction.atomic
def dossier_transition(
    *, actor: Actor, dossier: Dossier, transition: str, reason: str = "", on_date: date | None = None
) -> Dossier:
    """Take `transition` on `dossier` as `actor`, per the table in `workflow.TRANSITIONS`.

    Locks the dossier row, so of two concurrent transitions only the first
    succeeds; the second sees the new state and is refused.
    """
    step = transition_get(transition)
    locked = (
        Dossier.objects.select_for_update(of=("self",))
        .select_related("call", "company", "provider", "nace_code")
        .get(pk=dossier.pk)
    )
    transition_check(actor=actor, dossier=locked, transition=step)
    reason = (reason or "").strip()
    if step.requires_reason and not reason:
        raise ValidationError(
            {
                "reason": (
                    _("Dossier %(reference)s %(step)s kan enkel met een motivering.")
                    % {"reference": locked.reference, "step": step.label}
                )
            }
        )
    today = timezone.localdate()
    on_date = on_date or today
    _check_date(locked, step, on_date, today)

    data: dict[str, object] = {"transition": step.name, "on_date": on_date.isoformat()}
    if step.checks_call_open:
        _check_call_open(locked, on_date)
    if step.runs_eligibility:
        results = eligibility_check(dossier=locked, stage=step.runs_eligibility, on_date=on_date)
        data["eligibility"] = _summary(results)
        if step.runs_eligibility == EligibilityStage.DECISION:
            failed = [r for r in results if r.outcome == EligibilityOutcome.FAIL]
            if failed:
                raise ValidationError(
                    {
                        "eligibility": [f"{r.criterion_label}: {r.reason}" for r in failed]
                        + [
                            (
                                _("Dossier %(reference)s kan niet goedgekeurd worden; wijs het af met deze motivering.")
                                % {"reference": locked.reference}
                            )
                        ]
                    }
                )
            review = [r for r in results if r.outcome == EligibilityOutcome.REVIEW]
            if review and not reason:
                raise ValidationError(
                    {
                        "reason": [f"{r.criterion_label}: {r.reason}" for r in review]
                        + [
                            _(
                                "Deze criteria moeten nagekeken worden: goedkeuren kan enkel met een motivering van de dossierbehandelaar."
                            )
                        ]
                    }
                )
            if review:
                data["overridden"] = [r.criterion for r in review]

    from_status = locked.status
    locked.status = step.target
    if step.date_field:
        setattr(locked, step.date_field, on_date)
    if step.is_decision:
        locked.decision_reason = reason
    locked.save()
    if step.is_decision:
        # The check at application: the controls app records it as a control (question 2 counts it).
        # An approval passed the decision check (it refuses on a failed criterion); a refusal names what failed.
        failed = [] if step.runs_eligibility == EligibilityStage.DECISION else _failed_criteria(locked)
        application_decided.send(sender=Dossier, actor=actor, dossier=locked, on_date=on_date, failed=failed)
    audit_event_record(
        actor=actor,
        action=AuditAction.TRANSITION,
        dossier=locked,
        from_status=from_status,
        to_status=locked.status,
        reason=reason,
        data=data,
    )
    dossier.refresh_from_db()
    return locked


def dossier_submit(*, actor: Actor, dossier: Dossier, reason: str = "", on_date: date | None = None) -> Dossier:
    return dossier_transition(actor=actor, dossier=dossier, transition="submit", reason=reason, on_date=on_date)


def dossier_approve(*, actor: Actor, dossier: Dossier, reason: str = "", on_date: date | None = None) -> Dossier:
    return dossier_transition(actor=actor, dossier=dossier, transition="approve", reason=reason, on_date=on_date)


def dossier_reject(*, actor: Actor, dossier: Dossier, reason: str = "", on_date: date | None = None) -> Dossier:
    return dossier_transition(actor=actor, dossier=dossier, transition="reject", reason=reason, on_date=on_date)


def dossier_withdraw(*, actor: Actor, dossier: Dossier, reason: str = "", on_date: date | None = None) -> Dossier:
    return dossier_transition(actor=actor, dossier=dossier, transition="withdraw", reason=reason, on_date=on_date)


def dossier_start(*, actor: Actor, dossier: Dossier, reason: str = "", on_date: date | None = None) -> Dossier:
    return dossier_transition(actor=actor, dossier=dossier, transition="start", reason=reason, on_date=on_date)


def dossier_finish(*, actor: Actor, dossier: Dossier, reason: str = "", on_date: date | None = None) -> Dossier:
    return dossier_transition(actor=actor, dossier=dossier, transition="finish", reason=reason, on_date=on_date)


def dossier_stop(*, actor: Actor, dossier: Dossier, reason: str = "", on_date: date | None = None) -> Dossier:
    return dossier_transition(actor=actor, dossier=dossier, transition="stop", reason=reason, on_date=on_date)
