"""The dossier workflow as data: states and transitions.

One table (`TRANSITIONS`) says, for every transition, from which states it
may be taken, the state it leads to, whether a reason (motivering) is
required and which milestone date it sets. WHO may take it (role and
ownership) is the permission table's answer for the action
`dossier.<name>` (`cstraject.accounts.permissions`); `Transition.roles` reads
it from there. The services (`cstraject.dossiers.services.dossier_transition`)
enforce both; the web application reads them (`allowed_transitions`) to show
only the buttons that will work.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from cstraject.accounts import permissions
from cstraject.accounts.actors import Actor
from cstraject.accounts.permissions import Action

from .models import Dossier, DossierStatus

S = DossierStatus


@dataclass(frozen=True)
class Transition:
    name: str
    label: str  # Dutch, for buttons and messages
    sources: frozenset
    target: str
    requires_reason: bool = False
    date_field: str | None = None  # milestone date set to the transition's date
    runs_eligibility: str | None = None  # eligibility stage run by this transition

    @property
    def action(self) -> Action:
        return permissions.transition_action(self.name)

    @property
    def roles(self) -> frozenset:
        """The roles the permission table lets take this transition (on their own dossiers when scoped)."""
        return permissions.roles_for(self.action)


def _t(name, label, sources, target, **kwargs) -> Transition:
    return Transition(name=name, label=label, sources=frozenset(sources), target=target, **kwargs)


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        _t(
            "submit",
            "indienen",
            [S.DRAFT],
            S.SUBMITTED,
            date_field="submitted_date",
            runs_eligibility="submission",
        ),
        _t("withdraw", "intrekken", [S.DRAFT, S.SUBMITTED], S.WITHDRAWN, date_field="withdrawn_date"),
        _t(
            "approve",
            "goedkeuren",
            [S.SUBMITTED],
            S.APPROVED,
            date_field="decided_date",
            runs_eligibility="decision",
        ),
        _t(
            "reject",
            "afwijzen",
            [S.SUBMITTED],
            S.REJECTED,
            requires_reason=True,
            date_field="decided_date",
        ),
        _t("start", "starten", [S.APPROVED], S.IN_PROGRESS, date_field="started_date"),
        _t("finish", "afronden", [S.IN_PROGRESS], S.FINISHED, date_field="finished_date"),
        _t(
            "stop",
            "stopzetten",
            [S.APPROVED, S.IN_PROGRESS],
            S.STOPPED,
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


def transition_get(name: str) -> Transition:
    try:
        return TRANSITIONS[name]
    except KeyError:
        raise PermissionDenied(
            _("Onbekende overgang '%(name)s'; bestaande overgangen: %(transitions)s.")
            % {"name": name, "transitions": ", ".join(TRANSITIONS)}
        ) from None


def require_owner(actor: Actor, dossier: Dossier) -> None:
    """PermissionDenied unless `actor` may see `dossier` (own provider, own company, or the agency)."""
    permissions.require(actor, Action.DOSSIER_VIEW, dossier)


def transition_check(*, actor: Actor, dossier: Dossier, transition: Transition) -> None:
    """PermissionDenied for the wrong role or organisation; ValidationError (field
    `status`) when the transition does not leave the dossier's current state."""
    permissions.require(actor, transition.action, dossier)
    if dossier.status not in transition.sources:
        sources = ", ".join(str(S(s).label) for s in sorted(transition.sources))
        raise ValidationError(
            {
                "status": (
                    _(
                        "%(capitalize)s kan niet voor dossier %(reference)s in status '%(status)s'; dat kan enkel vanuit: %(sources)s."
                    )
                    % {
                        "capitalize": transition.label.capitalize(),
                        "reference": dossier.reference,
                        "status": S(dossier.status).label,
                        "sources": sources,
                    }
                )
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
