"""Writes on final reports and follow-up surveys. Role and tenant rules are checked here, whatever the caller."""

import calendar
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cstraject.accounts.actors import Actor
from cstraject.accounts.permissions import Action, may, require
from cstraject.audit.models import AuditAction
from cstraject.audit.services import audit_event_record
from cstraject.core.numbers import format_date
from cstraject.dossiers.models import Dossier, DossierStatus

from .models import (
    MATURITY_MAX,
    MATURITY_MIN,
    FinalReport,
    FollowUp,
    FollowUpItem,
    FunctionMaturity,
    ImprovementPoint,
    PointStatus,
)
from .themes import resolve_category, themes_for_call

REPORTABLE_STATUSES = [DossierStatus.APPROVED, DossierStatus.IN_PROGRESS, DossierStatus.FINISHED]
# The follow-up survey opens twelve months after the end and may be answered for sixty days.
FOLLOW_UP_AFTER_MONTHS = 12
FOLLOW_UP_ANSWER_DAYS = 60
# Points the follow-up asks about: what was (partly) realised.
FOLLOWED_UP_STATUSES = [PointStatus.REALISED, PointStatus.PARTLY]


def _moment(actor: Actor, at):
    """Now; for the reference import (system actor) the historical moment it gives."""
    return at if at is not None and may(actor, Action.HISTORY_IMPORT) else timezone.now()


def _locked(dossier: Dossier) -> Dossier:
    return Dossier.objects.select_for_update().get(pk=dossier.pk)


def parse_maturity(value, *, field: str) -> Decimal:
    """A maturity on CyFun's scale: 1 to 5, at most one decimal (category averages such as 2.5)."""
    if isinstance(value, bool) or isinstance(value, float):
        raise ValidationError(
            {field: (_("Maturiteit moet exact gegeven worden, niet als %(value)s.") % {"value": repr(value)})}
        )
    text = str(value if value is not None else "").strip().replace(",", ".")
    if not text:
        raise ValidationError({field: _("Vul een maturiteit van 1 tot 5 in.")})
    try:
        score = Decimal(text)
    except (InvalidOperation, ValueError):
        raise ValidationError(
            {field: (_("'%(value)s' is geen maturiteit; geef een getal van 1 tot 5.") % {"value": value})}
        ) from None
    if not score.is_finite() or not MATURITY_MIN <= score <= MATURITY_MAX:
        raise ValidationError(
            {field: (_("Maturiteit %(value)s ligt buiten de CyFun-schaal van 1 tot 5.") % {"value": value})}
        )
    if score != score.quantize(Decimal("0.1")):
        raise ValidationError({field: (_("Maturiteit %(value)s heeft meer dan één decimaal.") % {"value": value})})
    return score.quantize(Decimal("0.1"))


def _collect(errors: dict, error: ValidationError) -> None:
    for key, messages in error.message_dict.items():
        errors.setdefault(key, messages[0])


@transaction.atomic
def final_report_submit(
    *,
    actor: Actor,
    dossier: Dossier,
    signatory: str,
    points: list[dict],
    function_maturity: list[dict],
    improvements: str = "",
    at=None,
) -> FinalReport:
    """The provider writes and signs the structured final report; it may rewrite it until the SME co-signs.

    `points`: each {theme (category code of the call's framework), description,
    status (realised|partly|not), maturity_before, maturity_after}.
    `function_maturity`: each {function (GV, ID, ...), before, after}, one for
    every function of the framework version. `improvements`: an optional
    free-text summary.
    """
    dossier = _locked(dossier)
    require(actor, Action.FINAL_REPORT_SUBMIT, dossier)
    if dossier.status not in REPORTABLE_STATUSES:
        raise ValidationError(
            {
                "points": (
                    _("Een eindverslag kan pas na goedkeuring; het dossier is '%(get_status_display)s'.")
                    % {"get_status_display": dossier.get_status_display()}
                )
            }
        )
    report = FinalReport.objects.select_for_update().filter(dossier=dossier).first()
    if report is not None and report.is_cosigned:
        raise ValidationError(
            {"points": _("De kmo heeft het eindverslag al medeondertekend; het kan niet meer gewijzigd worden.")}
        )
    errors: dict[str, str] = {}
    if not str(signatory or "").strip():
        errors["signatory"] = _("Vul de naam in van wie ondertekent.")
    elif len(str(signatory).strip()) > 150:
        errors["signatory"] = _("Hoogstens 150 tekens.")
    if len(str(improvements or "")) > 5000:
        errors["improvements"] = _("Hoogstens 5000 tekens.")
    categories = themes_for_call(dossier.call_id)
    functions = {code: theme for code, theme in categories.items() if theme.is_function}
    if not categories:
        errors["points"] = _("De oproep van dit dossier heeft geen kader met thema's; een eindverslag kan nog niet.")
        raise ValidationError(errors)
    if not points:
        errors["points"] = _("Geef minstens één verbeterpunt.")
    new_points = []
    for index, item in enumerate(points or []):
        prefix = f"points[{index}]"
        point_errors: dict[str, str] = {}
        theme = before = after = None
        try:
            theme = resolve_category(dossier.call_id, item.get("theme"), field=f"{prefix}.theme", themes=categories)
        except ValidationError as error:
            _collect(point_errors, error)
        description = str(item.get("description") or "").strip()
        if not description:
            point_errors[f"{prefix}.description"] = _("Beschrijf het verbeterpunt.")
        elif len(description) > 300:
            point_errors[f"{prefix}.description"] = _("Hoogstens 300 tekens.")
        status = str(item.get("status") or "")
        if status not in PointStatus.values:
            point_errors[f"{prefix}.status"] = _("Kies gerealiseerd, gedeeltelijk of niet gerealiseerd.")
        for key in ("maturity_before", "maturity_after"):
            try:
                value = parse_maturity(item.get(key), field=f"{prefix}.{key}")
            except ValidationError as error:
                _collect(point_errors, error)
            else:
                before, after = (value, after) if key == "maturity_before" else (before, value)
        errors.update(point_errors)
        if not point_errors and before is not None and after is not None:
            new_points.append(
                ImprovementPoint(
                    theme=theme, description=description, status=status, maturity_before=before, maturity_after=after
                )
            )
    maturities = []
    given = set()
    for index, item in enumerate(function_maturity or []):
        prefix = f"function_maturity[{index}]"
        code = str(item.get("function") or "").strip().upper()
        function = functions.get(code)
        if function is None:
            errors[f"{prefix}.function"] = _("'%(code)s' is geen functie van het kader van de oproep.") % {"code": code}
            continue
        if code in given:
            errors[f"{prefix}.function"] = _("Functie %(code)s staat er twee keer in.") % {"code": code}
            continue
        given.add(code)
        row_errors: dict[str, str] = {}
        values = {}
        for key in ("before", "after"):
            try:
                values[key] = parse_maturity(item.get(key), field=f"{prefix}.{key}")
            except ValidationError as error:
                _collect(row_errors, error)
        errors.update(row_errors)
        if not row_errors:
            maturities.append(FunctionMaturity(function=function, **values))
    missing = sorted(set(functions) - given, key=lambda c: functions[c].order)
    if missing:
        errors.setdefault(
            "function_maturity",
            (
                _("Geef de maturiteit voor en na voor elke functie; ontbreekt: %(missing)s.")
                % {"missing": ", ".join(missing)}
            ),
        )
    if errors:
        raise ValidationError(errors)

    now = _moment(actor, at)
    if report is None:
        report = FinalReport(dossier=dossier)
    report.improvements = str(improvements or "").strip()
    report.is_structured = True
    report.provider_signatory = signatory.strip()
    report.provider_signed_by_id = actor.user_id
    report.provider_signed_at = now
    report.save()
    report.points.all().delete()
    report.function_maturities.all().delete()
    for point in new_points:
        point.final_report = report
    for maturity in maturities:
        maturity.final_report = report
    ImprovementPoint.objects.bulk_create(new_points)
    FunctionMaturity.objects.bulk_create(maturities)
    audit_event_record(
        actor=actor,
        action=AuditAction.DOCUMENT,
        dossier=dossier,
        reason=_("Eindverslag ondertekend door de dienstverlener."),
        occurred_at=now,
        data={
            "final_report": report.pk,
            "points": len(new_points),
            "maturity": {m.function.code: [str(m.before), str(m.after)] for m in maturities},
        },
    )
    return report


def _yes_no(value, *, field: str, question: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value if value is not None else "").strip().lower()
    if text in ("ja", "yes", "true", "1", "on"):
        return True
    if text in ("nee", "no", "false", "0"):
        return False
    raise ValidationError({field: (_("Antwoord ja of nee: %(question)s") % {"question": question})})


@transaction.atomic
def final_report_cosign(
    *,
    actor: Actor,
    dossier: Dossier,
    signatory: str,
    satisfaction,
    would_recommend,
    changed_practice,
    feedback: str = "",
    at=None,
) -> FinalReport:
    """The SME co-signs the final report and answers the feedback survey."""
    dossier = _locked(dossier)
    require(actor, Action.FINAL_REPORT_COSIGN, dossier)
    report = FinalReport.objects.select_for_update().filter(dossier=dossier).first()
    if report is None:
        raise ValidationError({"signatory": _("De dienstverlener heeft nog geen eindverslag ingediend.")})
    if report.is_cosigned:
        raise ValidationError(
            {
                "signatory": (
                    _(
                        "Het eindverslag is al medeondertekend door %(sme_signatory)s op %(localtime)s; een tweede medeondertekening kan niet."
                    )
                    % {
                        "sme_signatory": report.sme_signatory,
                        "localtime": format_date(timezone.localtime(report.sme_signed_at)),
                    }
                )
            }
        )
    errors: dict[str, str] = {}
    try:
        score = int(satisfaction)
    except (TypeError, ValueError):
        score = None
    if isinstance(satisfaction, bool) or score is None or not 1 <= score <= 5:
        errors["satisfaction"] = _("Kies een tevredenheidsscore van 1 tot 5.")
    answers = {}
    for key, question in (
        ("would_recommend", "zou u het traject aanbevelen?"),
        ("changed_practice", "heeft het traject uw beveiligingspraktijk veranderd?"),
    ):
        try:
            answers[key] = _yes_no(
                {"would_recommend": would_recommend, "changed_practice": changed_practice}[key],
                field=key,
                question=question,
            )
        except ValidationError as error:
            _collect(errors, error)
    if not str(signatory or "").strip():
        errors["signatory"] = _("Vul de naam in van wie medeondertekent.")
    elif len(str(signatory).strip()) > 150:
        errors["signatory"] = _("Hoogstens 150 tekens.")
    if len(str(feedback or "")) > 5000:
        errors["feedback"] = _("Hoogstens 5000 tekens.")
    if errors:
        raise ValidationError(errors)
    report.sme_signatory = signatory.strip()
    report.sme_signed_by_id = actor.user_id
    report.sme_signed_at = _moment(actor, at)
    report.sme_feedback = str(feedback or "").strip()
    report.satisfaction = score
    report.would_recommend = answers["would_recommend"]
    report.changed_practice = answers["changed_practice"]
    report.save()
    audit_event_record(
        actor=actor,
        action=AuditAction.DOCUMENT,
        dossier=dossier,
        reason=_("Eindverslag medeondertekend door de kmo."),
        occurred_at=report.sme_signed_at,
        data={"final_report": report.pk, "satisfaction": score, **answers},
    )
    return report


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def follow_up_opens_on(finished: date) -> date:
    return add_months(finished, FOLLOW_UP_AFTER_MONTHS)


@transaction.atomic
def follow_ups_send(
    *, actor: Actor, today: date | None = None, dossier: Dossier | None = None, at=None
) -> list[FollowUp]:
    """Open the follow-up survey for every finished trajectory whose co-signed report is twelve months old.

    One query finds them (finished on or before `today` minus twelve months,
    co-signed, structured, no survey yet); idempotent.
    """
    require(actor, Action.FOLLOW_UP_SEND)
    today = today or timezone.localdate()
    cutoff = add_months(today, -FOLLOW_UP_AFTER_MONTHS)
    reports = FinalReport.objects.select_for_update(of=("self",))
    if dossier is not None:
        reports = reports.filter(dossier=dossier)
    due = list(
        reports.filter(
            dossier__status=DossierStatus.FINISHED,
            dossier__finished_date__lte=cutoff,
            sme_signed_at__isnull=False,
            is_structured=True,
            follow_up__isnull=True,
        ).select_related("dossier")
    )
    now = _moment(actor, at)
    created = []
    for report in due:
        finished = report.dossier.finished_date
        if finished is None:  # not possible: the query asks finished_date <= cutoff
            continue
        opens_on = follow_up_opens_on(finished)
        follow_up = FollowUp.objects.create(
            final_report=report,
            opens_on=opens_on,
            deadline=max(opens_on, today) + timedelta(days=FOLLOW_UP_ANSWER_DAYS),
            sent_at=now,
        )
        audit_event_record(
            actor=actor,
            action=AuditAction.DOCUMENT,
            dossier=report.dossier,
            reason=_("Opvolgingsbevraging (12 maanden na afronding) verstuurd naar de kmo."),
            occurred_at=now,
            data={"follow_up": follow_up.pk, "deadline": follow_up.deadline.isoformat()},
        )
        created.append(follow_up)
    return created


def follow_up_points(follow_up: FollowUp):
    return ImprovementPoint.objects.filter(
        final_report_id=follow_up.final_report_id, status__in=FOLLOWED_UP_STATUSES
    ).select_related("theme")


@transaction.atomic
def follow_up_answer(
    *, actor: Actor, dossier: Dossier, answers: dict, comment: str = "", today: date | None = None, at=None
) -> FollowUp:
    """The SME says, per (partly) realised improvement point, whether it is still in place.

    `answers`: {improvement point id: True/False (or "ja"/"nee")}, one for every point asked.
    """
    dossier = _locked(dossier)
    require(actor, Action.FOLLOW_UP_ANSWER, dossier)
    today = today or timezone.localdate()
    follow_up = FollowUp.objects.select_for_update().filter(final_report__dossier=dossier).first()
    if follow_up is None:
        raise ValidationError({"answers": _("Er is (nog) geen opvolgingsbevraging voor dit dossier.")})
    if follow_up.is_answered:
        raise ValidationError({"answers": _("De opvolgingsbevraging is al beantwoord.")})
    if today > follow_up.deadline:
        raise ValidationError(
            {
                "answers": (
                    _("De termijn om te antwoorden liep af op %(deadline)s; antwoorden kan niet meer.")
                    % {"deadline": format_date(follow_up.deadline)}
                )
            }
        )
    if today < follow_up.opens_on:
        raise ValidationError(
            {
                "answers": (
                    _("De opvolgingsbevraging opent pas op %(opens_on)s.")
                    % {"opens_on": format_date(follow_up.opens_on)}
                )
            }
        )
    points = list(follow_up_points(follow_up))
    errors: dict[str, str] = {}
    items = []
    answers = {str(key): value for key, value in (answers or {}).items()}
    for point in points:
        field = f"point_{point.pk}"
        value = answers.pop(str(point.pk), None)
        try:
            in_place = _yes_no(
                value,
                field=field,
                question=(_("is '%(description)s' nog van kracht?") % {"description": point.description}),
            )
        except ValidationError as error:
            _collect(errors, error)
            continue
        items.append(FollowUpItem(follow_up=follow_up, point=point, still_in_place=in_place))
    for key in answers:
        errors[f"point_{key}"] = _("Verbeterpunt %(key)s hoort niet bij deze bevraging.") % {"key": key}
    if len(str(comment or "")) > 5000:
        errors["comment"] = _("Hoogstens 5000 tekens.")
    if errors:
        raise ValidationError(errors)
    FollowUpItem.objects.bulk_create(items)
    follow_up.answered_at = _moment(actor, at)
    follow_up.answered_by_id = actor.user_id
    follow_up.comment = str(comment or "").strip()
    follow_up.save()
    audit_event_record(
        actor=actor,
        action=AuditAction.DOCUMENT,
        dossier=dossier,
        reason=_("Opvolgingsbevraging beantwoord door de kmo."),
        occurred_at=follow_up.answered_at,
        data={"follow_up": follow_up.pk, "still_in_place": sum(i.still_in_place for i in items), "asked": len(items)},
    )
    return follow_up
