"""The dossier workflow as data: states, transitions, who may take them.

One table (`TRANSITIONS`) says, for every transition, from which states it
may be taken, the state it leads to, the roles allowed to take it, whether a
reason (motivering) is required and which milestone date it sets. The
services (`cstraject.dossiers.services.dossier_transition`) enforce it; the
web application reads it (`allowed_transitions`) to show only the buttons
that will work. Nothing else decides what may happen to a dossier.

Ownership: a provider (dienstverlener) acts only on its own provider's
dossiers; an SME contact has no transitions of its own.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError

from cstraject.accounts.actors import Actor
from cstraject.accounts.models import Role

from .models import Dossier, DossierStatus

S = DossierStatus


@dataclass(frozen=True)
class Transition:
    name: str
    label: str  # Dutch, for buttons and messages
    sources: frozenset
    target: str
    roles: frozenset
    requires_reason: bool = False
    date_field: str | None = None  # milestone date set to the transition's date
    runs_eligibility: str | None = None  # eligibility stage run by this transition


def _t(name, label, sources, target, roles, **kwargs) -> Transition:
    return Transition(
        name=name, label=label, sources=frozenset(sources), target=target, roles=frozenset(roles), **kwargs
    )


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        _t(
            "submit",
            "indienen",
            [S.DRAFT],
            S.SUBMITTED,
            [Role.PROVIDER, Role.ADMIN],
            date_field="submitted_date",
            runs_eligibility="submission",
        ),
        _t(
            "withdraw",
            "intrekken",
            [S.DRAFT, S.SUBMITTED],
            S.WITHDRAWN,
            [Role.PROVIDER, Role.ADMIN, Role.SYSTEM],
            date_field="withdrawn_date",
        ),
        _t(
            "approve",
            "goedkeuren",
            [S.SUBMITTED],
            S.APPROVED,
            [Role.CASE_HANDLER, Role.ADMIN],
            date_field="decided_date",
            runs_eligibility="decision",
        ),
        _t(
            "reject",
            "afwijzen",
            [S.SUBMITTED],
            S.REJECTED,
            [Role.CASE_HANDLER, Role.ADMIN],
            requires_reason=True,
            date_field="decided_date",
        ),
        _t("start", "starten", [S.APPROVED], S.IN_PROGRESS, [Role.PROVIDER, Role.ADMIN], date_field="started_date"),
        _t("finish", "afronden", [S.IN_PROGRESS], S.FINISHED, [Role.PROVIDER, Role.ADMIN], date_field="finished_date"),
        _t(
            "stop",
            "stopzetten",
            [S.APPROVED, S.IN_PROGRESS],
            S.STOPPED,
            [Role.CASE_HANDLER, Role.ADMIN],
            requires_reason=True,
            date_field="stopped_date",
        ),
    )
}

# Milestones in the order they happen: a transition's date may not precede the last one set.
# Stopping and withdrawing end the dossier: their date may not precede any milestone.
MILESTONES = ("submitted_date", "decided_date", "started_date", "finished_date")
END_DATES = ("stopped_date", "withdrawn_date")

FINAL_STATES = frozenset(s for s in S.values if not any(s in t.sources for t in TRANSITIONS.values()))

# Roles that act only within their own organisation.
PROVIDER_SCOPED = frozenset({Role.PROVIDER})


def transition_get(name: str) -> Transition:
    try:
        return TRANSITIONS[name]
    except KeyError:
        raise PermissionDenied(
            f"Onbekende overgang '{name}'; bestaande overgangen: {', '.join(TRANSITIONS)}."
        ) from None


def actor_owns(actor: Actor, dossier: Dossier) -> bool:
    """May this actor act on this dossier at all (ownership, not role)?"""
    if actor.role == Role.PROVIDER:
        return actor.provider_id is not None and actor.provider_id == dossier.provider_id
    if actor.role == Role.SME_CONTACT:
        return actor.company_id is not None and actor.company_id == dossier.company_id
    return True


def require_owner(actor: Actor, dossier: Dossier) -> None:
    if not actor_owns(actor, dossier):
        raise PermissionDenied(
            f"{actor.label} ({Role(actor.role).label}) mag niet handelen op dossier {dossier.reference}: "
            "het hoort bij een andere dienstverlener of onderneming."
        )


def transition_check(*, actor: Actor, dossier: Dossier, transition: Transition) -> None:
    """PermissionDenied for the wrong role or organisation; ValidationError (field
    `status`) when the transition does not leave the dossier's current state."""
    if actor.role not in transition.roles:
        allowed = ", ".join(str(Role(r).label) for r in sorted(transition.roles))
        raise PermissionDenied(
            f"Rol '{Role(actor.role).label}' mag dossier {dossier.reference} niet {transition.label}; "
            f"toegelaten: {allowed}."
        )
    require_owner(actor, dossier)
    if dossier.status not in transition.sources:
        sources = ", ".join(str(S(s).label) for s in sorted(transition.sources))
        raise ValidationError(
            {
                "status": f"{transition.label.capitalize()} kan niet voor dossier {dossier.reference} in status "
                f"'{S(dossier.status).label}'; dat kan enkel vanuit: {sources}."
            }
        )


def allowed_transitions(dossier: Dossier, actor: Actor) -> list[Transition]:
    """The transitions `actor` may take on `dossier` in its current state."""
    result = []
    for transition in TRANSITIONS.values():
        try:
            transition_check(actor=actor, dossier=dossier, transition=transition)
        except (PermissionDenied, ValidationError):
            continue
        result.append(transition)
    return result
