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
report's signatories and the SME's free-text feedback, the follow-up's comment, the free text
of its controls, findings, refused payment requests and recovery orders, and the address and
text of its e-mails. Its audit trail keeps who acted for the agency or the provider, what,
when, the statuses and the figures, and loses its free text, the personal keys of its data
(file names, names, comments) and the name of the SME contact who acted
(`audit.services.audit_events_anonymise`, the one exception to append-only). It keeps what
the statistics and the accounts need: the dossier row with its province, size class, NACE
code, amounts and dates, quote lines, eligibility outcomes, payments, recoveries, maturity
scores and satisfaction.

Contact persons: once every dossier of a company is erased, the company's SME contacts (the
user accounts linked to it) lose their name and e-mail address and are deactivated (the row
stays for the audit trail's references). The company itself is master data (KBO, public
register): its name, number and seat are kept, as the statistics count companies.

Each dossier is erased in its own transaction together with its `Erasure` record and an
audit event, after its files are deleted; each company's contacts in one transaction after
that. A run interrupted at any point leaves each dossier either done or not started (at worst
files already gone), and running it again finishes the work with the same result.
"""

import os
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.utils import timezone

from cstraject.accounts.actors import Actor
from cstraject.accounts.models import Role
from cstraject.accounts.permissions import Action, require
from cstraject.audit.models import AuditAction
from cstraject.audit.services import ERASED, audit_event_record, audit_events_anonymise
from cstraject.companies.models import Company
from cstraject.dossiers.models import Dossier, DossierDocument, DossierStatus

from .models import Erasure, Letter, Notification, NotificationStatus


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, None) or os.environ.get(name) or default)


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


def _erase_free_text(dossier) -> None:
    """What people wrote about the dossier in controls, findings, payment decisions, recoveries and
    the follow-up survey; the categories, outcomes, amounts and dates stay."""
    from cstraject.controls.models import Control, Finding
    from cstraject.impact.models import FollowUp
    from cstraject.payments.models import PaymentRequest, Recovery

    Control.objects.filter(dossier=dossier).exclude(scope=ERASED).update(scope=ERASED, conclusion="")
    Finding.objects.filter(control__dossier=dossier).exclude(description=ERASED).update(description=ERASED)
    PaymentRequest.objects.filter(dossier=dossier).exclude(decision_reason="").update(decision_reason="")
    Recovery.objects.filter(dossier=dossier).exclude(reason=ERASED).update(reason=ERASED)
    FollowUp.objects.filter(final_report__dossier=dossier).exclude(comment="").update(comment="")


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
    _erase_free_text(dossier)
    events = audit_events_anonymise(
        dossier_id=dossier.pk, external_roles=(Role.SME_CONTACT,), keep_action_key="retention"
    )
    details = {
        "documents": documents,
        "letters": letters,
        "notifications": notifications,
        "final_report": bool(reports),
        "audit_events": events,
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


def _contacts_due(*, planned: tuple[int, ...] = ()):
    """SME contacts with a name or address left whose company has dossiers and all of them erased (or in
    `planned`, for the dry run)."""
    pending = Dossier.objects.filter(erasures__isnull=True).exclude(pk__in=planned).values("company_id")
    erased_companies = Company.objects.filter(dossiers__isnull=False).exclude(pk__in=pending).values("pk")
    return (
        get_user_model()
        .objects.filter(profile__role=Role.SME_CONTACT, profile__company__in=erased_companies)
        .exclude(first_name="", last_name="", email="", is_active=False)
    )


def contacts_due_count(*, planned: list[Planned]) -> int:
    """How many contact persons a run would erase, with the dossiers it would erase first."""
    return _contacts_due(planned=tuple(item.dossier.pk for item in planned)).count()


@transaction.atomic
def _erase_contacts(*, actor: Actor, company_id: int) -> int:
    users = list(_contacts_due().select_for_update().filter(profile__company_id=company_id))
    for user in users:
        user.first_name = user.last_name = user.email = ""
        user.is_active = False
        user.set_unusable_password()
        user.save(update_fields=["first_name", "last_name", "email", "is_active", "password"])
    if users:
        audit_event_record(
            actor=actor,
            action=AuditAction.EDIT,
            company=Company.objects.get(pk=company_id),
            reason="Naam en e-mailadres van de contactpersonen van de kmo gewist: al haar dossiers zijn gewist "
            "volgens de bewaarregels.",
            data={"retention": "contacts", "users": [u.pk for u in users]},
        )
    return len(users)


def retention_apply(*, actor: Actor, today: date | None = None, limit: int | None = None, progress=None) -> dict:
    """Erase what the rules say is due. `limit`: at most that many dossiers in this run. `progress(item, stage)`
    is called after a dossier's files are deleted ("files") and after its erasure commits ("erased")."""
    require(actor, Action.RETENTION_APPLY)
    today = today or timezone.localdate()
    planned = retention_plan(today=today)
    if limit is not None:
        planned = planned[:limit]
    erased = []
    for item in planned:
        _delete_files(item.documents + item.letters)  # files first: a rerun finds none and goes on
        if progress is not None:
            progress(item, "files")
        erased.append(_erase(actor=actor, item=item))
        if progress is not None:
            progress(item, "erased")
    contacts = 0
    companies = sorted(set(_contacts_due().values_list("profile__company_id", flat=True)))
    for company_id in companies:
        contacts += _erase_contacts(actor=actor, company_id=company_id)
    notifications = _notifications_due(today).update(to_address="", body="")
    return {"dossiers": [e.dossier.reference for e in erased], "notifications": notifications, "contacts": contacts}
