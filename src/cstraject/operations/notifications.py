"""E-mail notifications, driven by the audit trail.

Every business event is an AuditEvent written in the transaction of its change. `RULES`
says which events announce something to whom; `notifications_for_event` (called when an
AuditEvent is created, so in the same transaction) records one `Notification` per recipient
with its subject and text already rendered, and after the commit each is handed to the task
`notification_send_task` (django-tasks: the database backend with `cstraject db-worker` in
production, the immediate backend in the demo). A failed attempt is recorded and retried
with back-off by the task (backends that can defer) and by `cstraject notifications send`,
which the scheduler runs; the change itself is never undone by a failed e-mail.

Recipients are the users of the dossier's provider (role provider) or of its company (role
SME contact) who have an e-mail address, each in a message of their own; the text names the
dossier's reference, amounts and dates of that dossier only, and links into the application.
A drawn control sample (no dossier) goes to the users whose role the permission table gives
`control.sample_notice` (the controllers), with the sample's number, size and seed only. Each
message is in its recipient's language (`Profile.language`, else Dutch).
Events of the system role (history imports, the reference data) and events dated more than a
day back (history replayed) announce nothing, except the follow-up survey.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from cstraject.accounts.models import Role
from cstraject.accounts.permissions import Action, roles_for
from cstraject.audit.models import AuditAction

from .models import Notification, NotificationKind, NotificationStatus

logger = logging.getLogger("cstraject.notifications")

PROVIDER = "provider"
SME = "sme"
CONTROLLERS = "controllers"  # the roles the permission table gives Action.CONTROL_SAMPLE_NOTICE
MAX_ATTEMPTS = 6
# Minutes to wait after attempt 1, 2, ...: about a day in all before giving up.
BACKOFF_MINUTES = (1, 5, 30, 120, 600)
HISTORY = timedelta(days=1)


@dataclass(frozen=True)
class Rule:
    kind: str
    audience: str  # PROVIDER, SME or CONTROLLERS
    link: str  # URL name taking the dossier's pk (CONTROLLERS: no argument)
    system_too: bool = False  # also when the system role acts (scheduled sending)


def _rule_for(event) -> Rule | None:
    """Which notification an audit event calls for (None: none)."""
    data = event.data or {}
    if event.action == AuditAction.TRANSITION:
        if event.to_status == "submitted" and event.dossier is not None and event.dossier.sme_confirmed_at is None:
            return Rule(NotificationKind.QUOTE_CONFIRMATION, SME, "web:dossier_detail")
        if event.to_status == "approved":
            return Rule(NotificationKind.DECISION_APPROVED, PROVIDER, "web:dossier_detail")
        if event.to_status == "rejected":
            return Rule(NotificationKind.DECISION_REJECTED, PROVIDER, "web:dossier_detail")
    if event.action == AuditAction.PAYMENT:
        return Rule(NotificationKind.PAYMENT, PROVIDER, "web:dossier_detail")
    if event.action == AuditAction.PAYMENT_REQUEST and data.get("status") == "rejected":
        return Rule(NotificationKind.PAYMENT_REQUEST_REFUSED, PROVIDER, "web:dossier_detail")
    if event.action == AuditAction.RECOVERY:
        return Rule(NotificationKind.RECOVERY, PROVIDER, "web:dossier_detail")
    if event.action == AuditAction.DOCUMENT and "final_report" in data and "points" in data:
        return Rule(NotificationKind.FINAL_REPORT_COSIGN, SME, "web:final_report_cosign")
    if event.action == AuditAction.DOCUMENT and "follow_up" in data and "deadline" in data:
        return Rule(NotificationKind.FOLLOW_UP, SME, "web:follow_up", system_too=True)
    if event.action == AuditAction.CONTROL and "selection" in data and event.dossier_id is None:
        return Rule(NotificationKind.CONTROL_SAMPLE, CONTROLLERS, "web:risk_queue", system_too=True)
    return None


def _recipients(dossier, audience: str):
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    if audience == CONTROLLERS:
        users = users.filter(profile__role__in=roles_for(Action.CONTROL_SAMPLE_NOTICE))
    elif audience == PROVIDER:
        users = users.filter(profile__role=Role.PROVIDER, profile__provider_id=dossier.provider_id)
    else:
        users = users.filter(profile__role=Role.SME_CONTACT, profile__company_id=dossier.company_id)
    return users.order_by("pk")


def _amount(value, language: str) -> str:
    if value in (None, ""):
        return ""
    text = f"{Decimal(value):,.2f}"
    if language == "nl":
        text = text.replace(",", " ").replace(".", ",").replace(" ", ".")
    return f"EUR {text}"


def render(kind: str, language: str, context: dict) -> tuple[str, str]:
    """Subject and text from `operations/email/<kind>.<language>.txt` (first line: the subject)."""
    text = render_to_string(f"operations/email/{kind}.{language}.txt", context).strip()
    subject, _, body = text.partition("\n")
    return subject.strip(), body.strip() + "\n"


def _language_of(user) -> str:
    profile = getattr(user, "profile", None)
    language = getattr(profile, "language", "") or settings.LANGUAGE_CODE
    return language if language in ("nl", "en") else "nl"


def _applicable_rule(event) -> Rule | None:
    """The rule for this event, unless it is history or the system's own doing (cheap: no query)."""
    if event.occurred_at < timezone.now() - HISTORY:
        return None
    rule = _rule_for(event)
    if rule is None or (event.actor_role == Role.SYSTEM and not rule.system_too):
        return None
    if event.dossier_id is None and rule.audience != CONTROLLERS:
        return None
    return rule


def notifications_for_event(event) -> list[Notification]:
    """Record the notifications an audit event calls for; call inside its transaction."""
    rule = _applicable_rule(event)
    if rule is None:
        return []
    dossier = event.dossier
    data = event.data or {}
    args = [dossier.pk] if dossier is not None else []
    link = settings.CSTRAJECT_BASE_URL.rstrip("/") + reverse(rule.link, args=args)
    created = []
    for user in _recipients(dossier, rule.audience):
        language = _language_of(user)
        context = {
            "reference": dossier.reference if dossier is not None else "",
            "link": link,
            "amount": _amount(data.get("amount"), language),
            "subsidy": _amount(dossier.subsidy_amount, language) if dossier is not None else "",
            "tranche": data.get("tranche", ""),
            "deadline": data.get("deadline", ""),
            "selection": data.get("selection", ""),
            "count": len(data.get("dossiers") or []),
            "seed": data.get("seed", ""),
        }
        subject, body = render(rule.kind, language, context)
        created.append(
            Notification.objects.create(
                dossier=dossier,
                audit_event=event,
                recipient=user,
                to_address=user.email,
                kind=rule.kind,
                language=language,
                subject=subject[:200],
                body=body,
            )
        )
    if created:
        ids = [n.pk for n in created]
        transaction.on_commit(lambda: _enqueue(ids))
    return created


def _enqueue(ids: list[int]) -> None:
    from .tasks import notification_send_task

    for pk in ids:
        try:
            notification_send_task.enqueue(pk)
        except Exception:  # the queue is down: the scheduler's `notifications send` picks it up
            logger.exception("notification %s could not be queued", pk)


def notification_send(*, notification_id: int) -> Notification:
    """One attempt to deliver a notification; records the outcome. Never raises for an SMTP fault."""
    now = timezone.now()
    with transaction.atomic():
        notification = Notification.objects.select_for_update().get(pk=notification_id)
        if notification.status in (NotificationStatus.SENT, NotificationStatus.GIVEN_UP):
            return notification
        message = EmailMessage(
            subject=notification.subject,
            body=notification.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[notification.to_address],
        )
        notification.attempts += 1
        notification.last_attempt_at = now
        try:
            message.send(fail_silently=False)
        except Exception as error:
            notification.last_error = f"{type(error).__name__}: {error}"[:300]
            if notification.attempts >= MAX_ATTEMPTS:
                notification.status = NotificationStatus.GIVEN_UP
                notification.next_attempt_at = None
            else:
                notification.status = NotificationStatus.FAILED
                wait = BACKOFF_MINUTES[min(notification.attempts, len(BACKOFF_MINUTES)) - 1]
                notification.next_attempt_at = now + timedelta(minutes=wait)
            logger.warning(
                "notification %s not delivered (attempt %s): %s",
                notification.pk,
                notification.attempts,
                notification.last_error,
                extra={
                    "event": "notification",
                    "dossier": notification.dossier.reference if notification.dossier is not None else "",
                },
            )
        else:
            notification.status = NotificationStatus.SENT
            notification.sent_at = now
            notification.next_attempt_at = None
            notification.last_error = ""
        notification.save()
    return notification


def notifications_due(*, now=None):
    now = now or timezone.now()
    return Notification.objects.filter(status=NotificationStatus.PENDING) | Notification.objects.filter(
        status=NotificationStatus.FAILED, next_attempt_at__lte=now
    )


def notifications_send_due(*, now=None, include_failed_now: bool = False) -> dict[str, int]:
    """Send what is pending and the failures whose retry time has come (`include_failed_now`: every
    failure at once). For the scheduler, and where no task worker runs."""
    queryset = (
        Notification.objects.filter(status__in=[NotificationStatus.PENDING, NotificationStatus.FAILED])
        if include_failed_now
        else notifications_due(now=now)
    )
    counts = {"sent": 0, "failed": 0}
    for pk in queryset.order_by("pk").values_list("pk", flat=True):
        result = notification_send(notification_id=pk)
        counts["sent" if result.status == NotificationStatus.SENT else "failed"] += 1
    return counts


def _on_audit_event_saved(sender, instance, created, **kwargs):
    if not created or _applicable_rule(instance) is None:  # most events (imports, history): no savepoint
        return
    try:
        with transaction.atomic():  # a savepoint: a fault here never undoes the business change
            notifications_for_event(instance)
    except Exception:
        logger.exception("notifications for audit event %s not recorded", instance.pk)


def connect() -> None:
    from django.db.models.signals import post_save

    from cstraject.audit.models import AuditEvent

    post_save.connect(_on_audit_event_saved, sender=AuditEvent, dispatch_uid="cstraject-notifications")
