"""Who may do what: ONE table, used by every door (services, selectors, views,
templates, the CLI, the admin).

The table (`RULES`) answers "may this actor do this action on this object"
from three things: the actor's role, the action (`Action`) and the actor's
relation to the object:

- `ANY`: every object;
- `OWN_PROVIDER`: only objects of the actor's own service provider
  (a dossier with `provider_id == actor.provider_id`, or anything hanging off
  such a dossier: documents, statements, payment requests, recoveries, ...);
- `OWN_COMPANY`: only objects of the actor's own company (SME contact).

A role missing from an action's row may not take that action at all.

API
---
`may(actor, action, obj=None) -> bool`
    Without `obj`: may the role take this action at all (on its own objects
    for the scoped relations). With `obj`: also on this object.
`require(actor, action, obj=None)`
    The same, raising `PermissionDenied` with a Dutch message that names the
    role, the action and who is allowed.
`scope(actor, action, queryset, provider_field=..., company_field=...)`
    A queryset narrowed to what the actor may see for `action` (`.none()`
    when the role may not at all). `cstraject.dossiers.selectors.scope_dossiers`
    is the common case for dossiers (it lives there: accounts sits below dossiers).
`roles_for(action)`
    The roles that may take `action` on some object (for help texts and the
    workflow's `Transition.roles`).

The dossier workflow (`cstraject.dossiers.workflow`) takes its roles from
here: every transition `name` has the action `dossier.<name>`.

Templates: `{% load permissions %}` then `{% if request.actor|may:"dossier.view" %}`
(no object) or `{% may_on request.actor "dossier.edit_draft" dossier as can_edit %}`.

Adding an action: add it to `Action` (value `"<thing>.<verb>"`, Dutch label
that reads after "mag dit niet: ") and give it a row in `RULES`. The test
`tests/accounts/test_permissions.py` checks every action has a row.

In the spirit of Hypha's permissions map (a role x action map consulted by one
function) and django-rules (a check with an optional object); plain Python,
so the same table also drives queryset scoping (`scope`), which a predicate
library does not give.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Role

if TYPE_CHECKING:
    from .actors import Actor


class Action(models.TextChoices):
    # Dossiers
    DOSSIER_LIST = "dossier.list", gettext_lazy("dossiers oplijsten")
    DOSSIER_VIEW = "dossier.view", gettext_lazy("dossier inzien")
    DOSSIER_CREATE = "dossier.create", gettext_lazy("aanvraag (ontwerp) aanmaken")
    DOSSIER_EDIT_DRAFT = "dossier.edit_draft", gettext_lazy("ontwerp wijzigen")
    DOSSIER_CONFIRM = "dossier.confirm", gettext_lazy("offerte en verklaringen bevestigen als kmo")
    # Workflow transitions: one action per transition of dossiers/workflow.py (dossier.<name>).
    DOSSIER_SUBMIT = "dossier.submit", gettext_lazy("dossier indienen")
    DOSSIER_WITHDRAW = "dossier.withdraw", gettext_lazy("dossier intrekken")
    DOSSIER_APPROVE = "dossier.approve", gettext_lazy("dossier goedkeuren")
    DOSSIER_REJECT = "dossier.reject", gettext_lazy("dossier afwijzen")
    DOSSIER_START = "dossier.start", gettext_lazy("dossier starten")
    DOSSIER_FINISH = "dossier.finish", gettext_lazy("dossier afronden")
    DOSSIER_STOP = "dossier.stop", gettext_lazy("dossier stopzetten")
    APPLICATIONS_IMPORT = "applications.import", gettext_lazy("aanvragen uit Excel inlezen")
    HISTORY_IMPORT = "history.import", gettext_lazy("historische dossiers, prestaties en betalingen inlezen")
    ELIGIBILITY_VIEW = "eligibility.view", gettext_lazy("subsidiabiliteitstoets inzien")
    # Companies (master data; the trust-data lane refines these)
    COMPANY_VIEW = "company.view", gettext_lazy("onderneming inzien")
    COMPANY_CREATE = "company.create", gettext_lazy("nieuwe onderneming registreren")
    COMPANY_CORRECT = "company.correct", gettext_lazy("stamgegevens van een onderneming corrigeren")
    # The company register (KBO open data) and filed annual accounts: system imports
    REGISTER_IMPORT = "register.import", gettext_lazy("het ondernemingsregister (KBO) inlezen")
    ACCOUNTS_IMPORT = "annual_accounts.import", gettext_lazy("neergelegde jaarrekeningen inlezen")
    # Documents
    DOCUMENT_VIEW = "document.view", gettext_lazy("document downloaden")
    DOCUMENT_UPLOAD = "document.upload", gettext_lazy("document opladen")
    # Statements, payment requests, payments
    STATEMENT_VIEW = "statement.view", gettext_lazy("prestatiestaten inzien")
    STATEMENT_SUBMIT = "statement.submit", gettext_lazy("prestatiestaat indienen")
    PAYMENT_VIEW = "payment.view", gettext_lazy("betalingsaanvragen en betalingen inzien")
    PAYMENT_REQUEST_CREATE = "payment_request.create", gettext_lazy("betaling aanvragen")
    PAYMENT_DECIDE = "payment.decide", gettext_lazy("betalingsaanvraag goedkeuren of afwijzen")
    WORK_QUEUE = "backoffice.queue", gettext_lazy("werkvoorraad van het agentschap inzien")
    # Recoveries and collections
    RECOVERY_VIEW = "recovery.view", gettext_lazy("terugvorderingen van een dossier inzien")
    RECOVERY_LIST = "recovery.list", gettext_lazy("overzicht van alle terugvorderingen inzien")
    RECOVERY_CREATE = "recovery.create", gettext_lazy("terugvordering opmaken")
    COLLECTION_RECORD = "collection.record", gettext_lazy("inning registreren")
    # Settlement (afrekening) of a finished or stopped trajectory
    SETTLEMENT_VIEW = "settlement.view", gettext_lazy("afrekening van een traject inzien")
    SETTLEMENT_APPROVE = "settlement.approve", gettext_lazy("afrekening van een traject goedkeuren")
    # Final report
    FINAL_REPORT_VIEW = "final_report.view", gettext_lazy("eindverslag inzien")
    FINAL_REPORT_SUBMIT = "final_report.submit", gettext_lazy("eindverslag ondertekenen als dienstverlener")
    FINAL_REPORT_COSIGN = "final_report.cosign", gettext_lazy("eindverslag medeondertekenen als kmo")
    # Themes of the quote and the follow-up survey (impact)
    THEMES_PLAN = "themes.plan", gettext_lazy("thema's van de offerte vastleggen")
    FOLLOW_UP_SEND = "follow_up.send", gettext_lazy("opvolgingsbevragingen versturen")
    FOLLOW_UP_ANSWER = "follow_up.answer", gettext_lazy("opvolgingsbevraging beantwoorden als kmo")
    # Audit trail
    AUDIT_VIEW_DOSSIER = "audit.dossier", gettext_lazy("audittrail van een dossier inzien")
    AUDIT_VIEW = "audit.view", gettext_lazy("volledige audittrail inzien")
    # Operations: the e-mails sent about a dossier, the outbox
    NOTIFICATION_VIEW = "notification.view", gettext_lazy("verstuurde berichten van een dossier inzien")
    NOTIFICATION_SEND = "notification.send", gettext_lazy("wachtende berichten versturen")
    RETENTION_APPLY = "retention.apply", gettext_lazy("bewaartermijnen toepassen (persoonsgegevens wissen)")
    SUBJECT_EXPORT = "subject.export", gettext_lazy("alle gegevens over een onderneming of persoon exporteren")
    # Statistics and the answer to question 526
    STATISTICS_VIEW = "statistics.view", gettext_lazy("statistieken inzien")
    REPORT_EXPORT = "report.export", gettext_lazy("werkboek vraag 526 downloaden")
    # Portals (pages that only make sense for a tenant)
    PROVIDER_PORTAL = "portal.provider", gettext_lazy("portaal van de dienstverlener gebruiken")
    SME_PORTAL = "portal.sme", gettext_lazy("portaal van de kmo gebruiken")
    # Controls and red-flag screening (cstraject.controls)
    CONTROL_VIEW = "control.view", gettext_lazy("controles inzien")
    CONTROL_PLAN = "control.plan", gettext_lazy("controle plannen")
    CONTROL_RECORD = "control.record", gettext_lazy("controle en bevindingen registreren")
    CONTROL_SELECT = "control.select", gettext_lazy("controlesteekproef trekken")
    CONTROL_SAMPLE_NOTICE = (
        "control.sample_notice",
        gettext_lazy("bericht krijgen wanneer een controlesteekproef getrokken is"),
    )
    SCREENING_RUN = "screening.run", gettext_lazy("risicoscreening uitvoeren")
    SCREENING_VIEW = "screening.view", gettext_lazy("rode vlaggen en risicoscores inzien")
    SCREENING_CONFIGURE = "screening.configure", gettext_lazy("screeningparameters van een oproep instellen")
    # Background jobs (cstraject.jobs): everyone follows their own; some roles see all of them
    JOB_LIST = "job.list", gettext_lazy("eigen achtergrondtaken volgen")
    JOB_VIEW_ALL = "job.view_all", gettext_lazy("achtergrondtaken van alle gebruikers inzien")
    # Accounts and configuration
    USER_MANAGE = "users.manage", gettext_lazy("gebruikers beheren")
    ADMIN_CONFIGURE = "admin.configure", gettext_lazy("configuratie beheren (Django-beheer)")
    API_TOKEN_MANAGE = "api_token.manage", gettext_lazy("API-sleutels aanmaken en intrekken")


class Scope(enum.Enum):
    """The actor's relation to the object the rule asks for."""

    ANY = "any"
    OWN_PROVIDER = "own_provider"
    OWN_COMPANY = "own_company"


ANY, OWN_PROVIDER, OWN_COMPANY = Scope.ANY, Scope.OWN_PROVIDER, Scope.OWN_COMPANY
P, S, H, C, B, A, Y = (
    Role.PROVIDER,
    Role.SME_CONTACT,
    Role.CASE_HANDLER,
    Role.CONTROLLER,
    Role.POLICY,
    Role.ADMIN,
    Role.SYSTEM,
)
# The agency's staff who work on dossiers (policy staff see statistics only).
_AGENCY = {H: ANY, C: ANY, A: ANY}
# Everyone who sees a dossier: its provider, its company's contact, the agency.
_DOSSIER_READERS = {P: OWN_PROVIDER, S: OWN_COMPANY, **_AGENCY}

# THE table: action -> {role: relation}. A role not in the row may not.
RULES: dict[Action, dict[Role, Scope]] = {
    # Controllers reach dossiers through recoveries and the audit trail, not a list of all dossiers.
    Action.DOSSIER_LIST: {P: OWN_PROVIDER, S: OWN_COMPANY, H: ANY, A: ANY, Y: ANY},
    Action.DOSSIER_VIEW: {**_DOSSIER_READERS, Y: ANY},
    # obj is the ServiceProvider the draft is made for (or the dossier).
    # Only the provider files an application (BRIEF: the provider files it with VLAIO).
    Action.DOSSIER_CREATE: {P: OWN_PROVIDER},
    Action.DOSSIER_EDIT_DRAFT: {P: OWN_PROVIDER},
    Action.DOSSIER_CONFIRM: {S: OWN_COMPANY},
    Action.DOSSIER_SUBMIT: {P: OWN_PROVIDER, A: ANY},
    Action.DOSSIER_WITHDRAW: {P: OWN_PROVIDER, A: ANY, Y: ANY},
    Action.DOSSIER_APPROVE: {H: ANY, A: ANY},
    Action.DOSSIER_REJECT: {H: ANY, A: ANY},
    Action.DOSSIER_START: {P: OWN_PROVIDER, A: ANY},
    Action.DOSSIER_FINISH: {P: OWN_PROVIDER, A: ANY},
    Action.DOSSIER_STOP: {H: ANY, A: ANY},
    # Only providers file applications (DOSSIER_CREATE): the Excel import is their bulk door.
    Action.APPLICATIONS_IMPORT: {P: OWN_PROVIDER},
    Action.HISTORY_IMPORT: {Y: ANY, A: ANY},
    Action.ELIGIBILITY_VIEW: {**_AGENCY},
    Action.COMPANY_VIEW: {P: ANY, S: OWN_COMPANY, **_AGENCY},
    Action.COMPANY_CREATE: {P: ANY, H: ANY, A: ANY, Y: ANY},
    Action.COMPANY_CORRECT: {H: ANY, A: ANY, Y: ANY},
    Action.REGISTER_IMPORT: {A: ANY, Y: ANY},
    Action.ACCOUNTS_IMPORT: {A: ANY, Y: ANY},
    Action.DOCUMENT_VIEW: {**_DOSSIER_READERS},
    Action.DOCUMENT_UPLOAD: {P: OWN_PROVIDER, A: ANY},
    Action.STATEMENT_VIEW: {**_DOSSIER_READERS},
    Action.STATEMENT_SUBMIT: {P: OWN_PROVIDER, A: ANY},
    Action.PAYMENT_VIEW: {**_DOSSIER_READERS},
    Action.PAYMENT_REQUEST_CREATE: {P: OWN_PROVIDER, A: ANY},
    Action.PAYMENT_DECIDE: {H: ANY, A: ANY},
    Action.WORK_QUEUE: {H: ANY, A: ANY},
    Action.RECOVERY_VIEW: {**_AGENCY},
    Action.RECOVERY_LIST: {C: ANY, A: ANY},
    Action.RECOVERY_CREATE: {C: ANY, A: ANY},
    Action.COLLECTION_RECORD: {C: ANY, A: ANY},
    Action.SETTLEMENT_VIEW: {P: OWN_PROVIDER, **_AGENCY},
    Action.SETTLEMENT_APPROVE: {H: ANY, A: ANY},
    Action.FINAL_REPORT_VIEW: {**_DOSSIER_READERS},
    Action.FINAL_REPORT_SUBMIT: {P: OWN_PROVIDER, Y: ANY},
    Action.FINAL_REPORT_COSIGN: {S: OWN_COMPANY, Y: ANY},
    Action.THEMES_PLAN: {P: OWN_PROVIDER, Y: ANY},
    Action.FOLLOW_UP_SEND: {H: ANY, A: ANY, Y: ANY},
    Action.FOLLOW_UP_ANSWER: {S: OWN_COMPANY, Y: ANY},
    Action.AUDIT_VIEW_DOSSIER: {**_AGENCY},
    Action.AUDIT_VIEW: {C: ANY, A: ANY},
    Action.NOTIFICATION_VIEW: {**_AGENCY},
    Action.NOTIFICATION_SEND: {A: ANY, Y: ANY},
    Action.RETENTION_APPLY: {A: ANY, Y: ANY},
    Action.SUBJECT_EXPORT: {A: ANY, Y: ANY},
    Action.STATISTICS_VIEW: {B: ANY, A: ANY},
    Action.REPORT_EXPORT: {B: ANY, A: ANY},
    Action.PROVIDER_PORTAL: {P: OWN_PROVIDER},
    Action.SME_PORTAL: {S: OWN_COMPANY},
    Action.CONTROL_VIEW: {**_AGENCY, B: ANY},
    Action.CONTROL_PLAN: {C: ANY, A: ANY},
    Action.CONTROL_RECORD: {C: ANY, A: ANY},
    Action.CONTROL_SELECT: {C: ANY, A: ANY},
    # Who is told by e-mail that a control sample was drawn (operations/notifications.py).
    Action.CONTROL_SAMPLE_NOTICE: {C: ANY},
    Action.SCREENING_RUN: {C: ANY, A: ANY, Y: ANY},
    # The case handler sees the flags at the decision and at payment approval.
    Action.SCREENING_VIEW: {**_AGENCY, B: ANY},
    Action.SCREENING_CONFIGURE: {A: ANY, Y: ANY},
    # The roles that may start a job (screening, register imports, the report); the result of another
    # user's job also needs the job's own action (jobs.selectors.job_result_file).
    Action.JOB_LIST: {C: ANY, B: ANY, A: ANY, Y: ANY},
    Action.JOB_VIEW_ALL: {A: ANY, Y: ANY},
    Action.USER_MANAGE: {A: ANY, Y: ANY},
    Action.ADMIN_CONFIGURE: {A: ANY},
    Action.API_TOKEN_MANAGE: {A: ANY, Y: ANY},
}


def transition_action(name: str) -> Action:
    """The action of the workflow transition `name` (`dossier.<name>`)."""
    return Action(f"dossier.{name}")


def rule_for(actor: Actor | None, action: Action | str) -> Scope | None:
    """The relation under which `actor`'s role may take `action`; None when it may not at all."""
    if actor is None:
        return None
    scope = RULES[Action(action)].get(actor.role)
    # A scoped role without its organisation may do nothing scoped.
    if scope is OWN_PROVIDER and actor.provider_id is None:
        return None
    if scope is OWN_COMPANY and actor.company_id is None:
        return None
    return scope


def roles_for(action: Action | str) -> frozenset[Role]:
    return frozenset(RULES[Action(action)])


def owners_of(obj) -> tuple[int | None, int | None]:
    """(provider id, company id) an object belongs to: a dossier's, or that of the dossier it hangs off."""
    label = obj._meta.label
    if label == "providers.ServiceProvider":
        return obj.pk, None
    if label == "companies.Company":
        return None, obj.pk
    if label == "dossiers.Dossier":
        return obj.provider_id, obj.company_id
    if label == "payments.Collection":
        return owners_of(obj.recovery.dossier)
    if hasattr(obj, "dossier_id"):
        return owners_of(obj.dossier)
    raise TypeError(f"No owner known for {label}; add it to permissions.owners_of.")


def _relation_holds(actor: Actor, scope: Scope, obj) -> bool:
    if scope is ANY or obj is None:
        return True
    provider_id, company_id = owners_of(obj)
    if scope is OWN_PROVIDER:
        return provider_id is not None and provider_id == actor.provider_id
    return company_id is not None and company_id == actor.company_id


def may(actor: Actor | None, action: Action | str, obj=None) -> bool:
    """May `actor` take `action` (on `obj`, when given)? See the module docstring."""
    scope = rule_for(actor, action)
    return actor is not None and scope is not None and _relation_holds(actor, scope, obj)


def _role_label(role) -> str:
    try:
        return str(Role(role).label)
    except ValueError:
        return str(role)


def _object_label(obj) -> str:
    if obj is None:
        return ""
    label = obj._meta.label
    if label == "dossiers.Dossier":
        return _("dossier %(ref)s") % {"ref": obj.reference}
    if hasattr(obj, "dossier_id"):
        return _("%(what)s van dossier %(ref)s") % {"what": obj._meta.verbose_name, "ref": obj.dossier.reference}
    return f"{obj._meta.verbose_name} {obj}"


def require(actor: Actor | None, action: Action | str, obj=None) -> None:
    """PermissionDenied unless `may(actor, action, obj)`; the message says why, in Dutch."""
    action = Action(action)
    if actor is None:
        raise PermissionDenied(_("Niet aangemeld."))
    scope = RULES[action].get(actor.role)
    if scope is None:
        allowed = ", ".join(sorted(_role_label(r) for r in RULES[action])) or _("niemand")
        raise PermissionDenied(
            _("Rol '%(role)s' mag dit niet: %(action)s. Toegelaten: %(allowed)s.")
            % {"role": _role_label(actor.role), "action": action.label, "allowed": allowed}
        )
    if rule_for(actor, action) is None or not _relation_holds(actor, scope, obj):
        other = _("een andere dienstverlener") if scope is OWN_PROVIDER else _("een andere onderneming")
        raise PermissionDenied(
            _("%(who)s (%(role)s) mag dit niet: %(action)s voor %(object)s; dat hoort bij %(other)s.")
            % {
                "who": actor.label,
                "role": _role_label(actor.role),
                "action": action.label,
                "object": _object_label(obj) or _("dit object"),
                "other": other,
            }
        )


def scope(
    actor: Actor | None,
    action: Action | str,
    queryset: QuerySet,
    *,
    provider_field: str = "provider_id",
    company_field: str = "company_id",
) -> QuerySet:
    """`queryset` narrowed to the objects `actor` may take `action` on; empty when not at all.

    For objects that hang off a dossier pass e.g. `provider_field="dossier__provider_id"`.
    """
    relation = rule_for(actor, action)
    if relation is None or actor is None:
        return queryset.none()
    if relation is OWN_PROVIDER:
        return queryset.filter(**{provider_field: actor.provider_id})
    if relation is OWN_COMPANY:
        return queryset.filter(**{company_field: actor.company_id})
    return queryset


def table() -> list[dict]:
    """The table as rows, for documentation and `cstraject users permissions`."""
    return [
        {
            "action": action.value,
            "label": str(action.label),
            "roles": {str(role): RULES[action][role].value for role in Role if role in RULES[action]},
        }
        for action in Action
    ]
