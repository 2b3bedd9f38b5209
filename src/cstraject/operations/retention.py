"""Retention: how long personal data is kept per kind of record, applied by
`cstraject retention apply [--dry-run]`.

| rule | records | kept for (setting, default) | counted from |
|---|---|---|---|
| refused | rejected applications | CSTRAJECT_RETENTION_REFUSED_YEARS, 5 | the decision date |
| withdrawn | withdrawn applications | CSTRAJECT_RETENTION_REFUSED_YEARS, 5 | the withdrawal date |
| finished | finished trajectories | CSTRAJECT_RETENTION_CLOSED_YEARS, 10 (control period of state aid) | the end date |
| stopped | stopped trajectories | CSTRAJECT_RETENTION_CLOSED_YEARS, 10 | the stop date |
| notifications | e-mails in the outbox (address, text) | CSTRAJECT_RETENTION_NOTIFICATION_DAYS, 365 | creation |

Erasing a dossier's personal data removes its uploaded documents (files and rows) and its
letters' files (the row and hash stay), empties the declarations, the motivation, the final
report's signatories and the SME's free-text feedback, and the address and text of its
e-mails. It keeps what the statistics and the accounts need: the dossier row with its
province, size class, NACE code, amounts and dates, quote lines, eligibility outcomes,
payments, recoveries, maturity scores and satisfaction. The audit trail is kept whole
(accountability); companies are the agency's master data and are not touched here.

Each dossier is erased in its own transaction together with its `Erasure` record and an
audit event, after its files are deleted: a run interrupted at any point leaves each dossier
either done or not started (at worst files already gone), and running it again finishes the
work with the same result.
"""

import os
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from cstraject.accounts.actors import Actor
from cstraject.accounts.permissions import Action, require
from cstraject.audit.models import AuditAction
from cstraject.audit.services import audit_event_record
from cstraject.dossiers.models import Dossier, DossierDocument, DossierStatus

from .models import Erasure, Letter, Notification, NotificationStatus


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, None) or os.environ.get(name, default))


@dataclass(frozen=True)
class DossierRule:
    key: str
    label: str
    status: str
    date_field: str
    setting: str
    default: int

    def years(self) -> int:
        return _setting(self.setting, self.default)

    def cutoff(self, today: date) -> date:
        years = self.years()
        try:
            return today.replace(year=today.year - years)
        except ValueError:  # 29 February
            return today.replace(year=today.year - years, day=28)


RULES = (
    DossierRule("refused", "afgewezen aanvraag", DossierStatus.REJECTED, "decided_date", "CSTRAJECT_RETENTION_REFUSED_YEARS", 5),
    DossierRule("withdrawn", "ingetrokken aanvraag", DossierStatus.WITHDRAWN, "withdrawn_date", "CSTRAJECT_RETENTION_REFUSED_YEARS", 5),
    DossierRule("finished", "afgerond traject", DossierStatus.FINISHED, "finished_date", "CSTRAJECT_RETENTION_CLOSED_YEARS", 10),
    DossierRule("stopped", "stopgezet traject", DossierStatus.STOPPED, "stopped_date", "CSTRAJECT_RETENTION_CLOSED_YEARS", 10),
)  # fmt: skip
NOTIFICATION_SETTING = "CSTRAJECT_RETENTION_NOTIFICATION_DAYS"


@dataclass
class Planned:
    rule: DossierRule
    dossier: Dossier
    since: date
    documents: list[str] = field(default_factory=list)
    letters: list[str] = field(default_factory=list)
    notifications: int = 0
    final_report: bool = False

    def describe(self) -> str:
        parts = [f"{len(self.documents)} document(en)", f"{len(self.letters)} brief(brieven)"]
        parts.append(f"{self.notifications} bericht(en)")
        if self.final_report:
            parts.append("ondertekenaars en feedback van het eindverslag")
        parts.append("verklaringen en motivering")
        return (
            f"{self.rule.key}\t{self.dossier.reference}\t{self.since.isoformat()}\t"
            f"{self.rule.label}, bewaard {self.rule.years()} jaar: " + ", ".join(parts)
        )


def _final_report(dossier):
    from cstraject.impact.models import FinalReport

    return FinalReport.objects.filter(dossier=dossier).first()


def retention_plan(*, today: date | None = None) -> list[Planned]:
    """The dossiers whose retention period is over and that are not erased yet, oldest first."""
    today = today or timezone.localdate()
    planned = []
    for rule in RULES:
        due = (
            Dossier.objects.filter(status=rule.status, **{f"{rule.date_field}__lt": rule.cutoff(today)})
            .exclude(erasures__rule=rule.key)
            .order_by(rule.date_field, "pk")
        )
        for dossier in due:
            planned.append(
                Planned(
                    rule=rule,
                    dossier=dossier,
                    since=getattr(dossier, rule.date_field),
                    documents=list(DossierDocument.objects.filter(dossier=dossier).values_list("file", flat=True)),
                    letters=list(
                        Letter.objects.filter(dossier=dossier, erased_at__isnull=True).values_list("file", flat=True)
                    ),
                    notifications=Notification.objects.filter(dossier=dossier).exclude(body="").count(),
                    final_report=_final_report(dossier) is not None,
                )
            )
    return planned


def _notifications_due(today: date):
    cutoff = timezone.now() - timedelta(days=_setting(NOTIFICATION_SETTING, 365)) - (timezone.localdate() - today)
    return Notification.objects.filter(
        created_at__lt=cutoff, status__in=[NotificationStatus.SENT, NotificationStatus.GIVEN_UP]
    ).exclude(body="")


def notifications_due_count(*, today: date | None = None) -> int:
    return _notifications_due(today or timezone.localdate()).count()


def _delete_files(names: list[str]) -> None:
    from django.core.files.storage import default_storage

    for name in names:
        if name and default_storage.exists(name):
            default_storage.delete(name)


@transaction.atomic
def _erase(*, actor: Actor, item: Planned) -> Erasure:
    from cstraject.impact.models import FinalReport

    dossier = Dossier.objects.select_for_update().get(pk=item.dossier.pk)
    if Erasure.objects.filter(rule=item.rule.key, dossier=dossier).exists():  # a parallel run was first
        return Erasure.objects.get(rule=item.rule.key, dossier=dossier)
    now = timezone.now()
    documents = DossierDocument.objects.filter(dossier=dossier).delete()[0]
    letters = models.QuerySet.update(Letter.objects.filter(dossier=dossier, erased_at__isnull=True), erased_at=now)
    notifications = Notification.objects.filter(dossier=dossier).exclude(body="").update(to_address="", body="")
    Dossier.objects.filter(pk=dossier.pk).update(declarations={}, decision_reason="")
    reports = FinalReport.objects.filter(dossier=dossier).update(
        provider_signatory="", sme_signatory="", sme_feedback=""
    )
    details = {
        "documents": documents,
        "letters": letters,
        "notifications": notifications,
        "final_report": bool(reports),
        "since": item.since.isoformat(),
        "years": item.rule.years(),
    }
    erasure = Erasure.objects.create(rule=item.rule.key, dossier=dossier, erased_at=now, details=details)
    audit_event_record(
        actor=actor,
        action=AuditAction.EDIT,
        dossier=dossier,
        reason=f"Persoonsgegevens gewist volgens de bewaarregel '{item.rule.key}' ({item.rule.label}, "
        f"{item.rule.years()} jaar na {item.since.isoformat()}).",
        data={"retention": item.rule.key, **details},
    )
    return erasure


def retention_apply(*, actor: Actor, today: date | None = None, limit: int | None = None) -> dict:
    """Erase what the rules say is due. `limit`: at most that many dossiers in this run."""
    require(actor, Action.RETENTION_APPLY)
    today = today or timezone.localdate()
    planned = retention_plan(today=today)
    if limit is not None:
        planned = planned[:limit]
    erased = []
    for item in planned:
        _delete_files(item.documents + item.letters)  # files first: a rerun finds none and goes on
        erased.append(_erase(actor=actor, item=item))
    notifications = _notifications_due(today).update(to_address="", body="")
    return {"dossiers": [e.dossier.reference for e in erased], "notifications": notifications}
