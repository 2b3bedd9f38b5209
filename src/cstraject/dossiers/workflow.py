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
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cstraject.accounts import permissions
from cstraject.accounts.actors import Actor
from cstraject.accounts.permissions import Action

from .models import Dossier, DossierStatus

S = DossierStatus


# How a transition's button looks: the usual one, or the red one for a step that ends or refuses.
STYLE_DEFAULT = ""
STYLE_DANGER = "button-danger"


@dataclass(frozen=True)
class Transition:
    name: str
    label: str | Promise  # Dutch (gettext), for buttons and messages
    sources: frozenset
    target: str
    requires_reason: bool = False
    date_field: str | None = None  # milestone date set to the transition's date
    runs_eligibility: str | None = None  # eligibility stage run by this transition
    # A motivation field is shown even when not always required; `reason_required_when` says when
    # it is needed all the same (approve: when a criterion needs review).
    offers_reason: bool = False
    reason_required_when: str | Promise = ""
    style: str = STYLE_DEFAULT  # the button's class
    # The application decision (approve, reject): records the motivation on the dossier and the
    # check at application (signal `application_decided`).
    is_decision: bool = False
    checks_call_open: bool = False  # refused after the call's closing date (submit)
    # Taken in the provider's application wizard (its last step), not with a button on the dossier page.
    in_wizard: bool = False

    @property
    def shows_reason(self) -> bool:
        """Whether the dossier page shows the motivation field with this transition's button."""
        return self.requires_reason or self.offers_reason

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
            gettext_lazy("indienen"),
            [S.DRAFT],
            S.SUBMITTED,
            date_field="submitted_date",
            runs_eligibility="submission",
            checks_call_open=True,
            in_wizard=True,
        ),
        _t(
            "withdraw",
            gettext_lazy("intrekken"),
            [S.DRAFT, S.SUBMITTED],
            S.WITHDRAWN,
            date_field="withdrawn_date",
            style=STYLE_DANGER,
        ),
        _t(
            "approve",
            gettext_lazy("goedkeuren"),
            [S.SUBMITTED],
            S.APPROVED,
            date_field="decided_date",
            runs_eligibility="decision",
            offers_reason=True,
            reason_required_when=gettext_lazy("verplicht als een criterium nagekeken moet worden"),
            is_decision=True,
        ),
        _t(
            "reject",
            gettext_lazy("afwijzen"),
            [S.SUBMITTED],
            S.REJECTED,
            requires_reason=True,
            date_field="decided_date",
            style=STYLE_DANGER,
            is_decision=True,
        ),
        _t("start", gettext_lazy("starten"), [S.APPROVED], S.IN_PROGRESS, date_field="started_date"),
        _t("finish", gettext_lazy("afronden"), [S.IN_PROGRESS], S.FINISHED, date_field="finished_date"),
        _t(
            "stop",
            gettext_lazy("stopzetten"),
            [S.APPROVED, S.IN_PROGRESS],
            S.STOPPED,
            requires_reason=True,
            date_field="stopped_date",
            style=STYLE_DANGER,
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
                        "capitalize": str(transition.label).capitalize(),
                        "reference": dossier.reference,
                        "status": S(dossier.status).label,
                        "sources": sources,
                    }
                )
            }
        )


def allowed_transitions(dossier: Dossier, actor: Actor, *, in_wizard: bool | None = None) -> list[Transition]:
    """The transitions `actor` may take on `dossier` in its current state, in the table's order.

    `in_wizard=False`: only those taken with a button on the dossier page; `True`: only the wizard's.
    """
    result = []
    for transition in TRANSITIONS.values():
        if in_wizard is not None and transition.in_wizard != in_wizard:
            continue
        try:
            transition_check(actor=actor, dossier=dossier, transition=transition)
        except (PermissionDenied, ValidationError):
            continue
        result.append(transition)
    return result
