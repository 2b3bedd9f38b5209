"""Who may do what with controls and screening, in one place (to move into the
project's permission table, accounts/permissions.py, once that exists)."""

from cstraject.accounts.actors import Actor
from cstraject.accounts.models import Role

ROLES: dict[str, tuple[Role, ...]] = {
    "control_view": (Role.CONTROLLER, Role.CASE_HANDLER, Role.POLICY, Role.ADMIN),
    "control_plan": (Role.CONTROLLER, Role.ADMIN),
    "control_record": (Role.CONTROLLER, Role.ADMIN),
    "control_select": (Role.CONTROLLER, Role.ADMIN),
    "screening_run": (Role.CONTROLLER, Role.ADMIN, Role.SYSTEM),
    "screening_view": (Role.CONTROLLER, Role.CASE_HANDLER, Role.POLICY, Role.ADMIN),
    "screening_configure": (Role.ADMIN, Role.SYSTEM),
}


def require(actor: Actor, action: str) -> None:
    actor.require(*ROLES[action])


def may(actor: Actor, action: str) -> bool:
    return actor.role in ROLES[action]
