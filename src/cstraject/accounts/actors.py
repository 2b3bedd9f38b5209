"""Who acts: every service takes an `Actor`, whether the call comes from the
web, the CLI or the reference loader. What the actor may do is the
permission table's answer (`permissions.py`), never a role check here.

`channel` says through which door the actor came (web, cli, system) and
`os_user` which operating-system account ran the command (CLI and system);
both go into every audit event.
"""

import getpass
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext as _

from .models import Role


class Channel(models.TextChoices):
    WEB = "web", "web"
    CLI = "cli", "cli"
    SYSTEM = "system", "system"
    API = "api", "api"


def os_user() -> str:
    """The operating-system account running this process ('' when it cannot be told)."""
    try:
        return getpass.getuser()
    except Exception:  # no USER/LOGNAME and no passwd entry (some containers)
        return ""


@dataclass(frozen=True)
class Actor:
    label: str
    role: Role
    user_id: int | None = None
    provider_id: int | None = None
    company_id: int | None = None
    channel: str = Channel.SYSTEM
    os_user: str = ""

    @property
    def user(self):
        return get_user_model().objects.get(pk=self.user_id) if self.user_id else None


def system_actor(label: str = "systeem") -> Actor:
    return Actor(label=label, role=Role.SYSTEM, channel=Channel.SYSTEM, os_user=os_user())


def cli_operator_actor() -> Actor:
    """Whoever runs an account command on the server (`cstraject users ...`): acts as the system,
    through the CLI, named by the operating-system account."""
    who = os_user()
    return Actor(label=f"cli:{who or 'onbekend'}", role=Role.SYSTEM, channel=Channel.CLI, os_user=who)


def actor_for_user(user, *, channel: str = Channel.WEB) -> Actor:
    """The actor for a logged-in user; superusers without profile act as administrator."""
    if not user.is_active:
        raise PermissionDenied(
            _("Gebruiker '%(get_username)s' is gedeactiveerd.") % {"get_username": user.get_username()}
        )
    profile = getattr(user, "profile", None)
    system_user = os_user() if channel not in (Channel.WEB, Channel.API) else ""
    if profile is None:
        if user.is_superuser:
            return Actor(
                label=user.get_username(), role=Role.ADMIN, user_id=user.pk, channel=channel, os_user=system_user
            )
        raise PermissionDenied(
            _("Gebruiker '%(get_username)s' heeft geen rol in cstraject.") % {"get_username": user.get_username()}
        )
    return Actor(
        label=user.get_username(),
        role=Role(profile.role),
        user_id=user.pk,
        provider_id=profile.provider_id,
        company_id=profile.company_id,
        channel=channel,
        os_user=system_user,
    )


def actor_for_username(username: str, *, channel: str = Channel.CLI) -> Actor:
    """The actor for `--as USERNAME` on the command line (inactive users refused)."""
    User = get_user_model()
    try:
        user = User.objects.select_related("profile").get(username=username)
    except User.DoesNotExist:
        raise PermissionDenied(_("Onbekende gebruiker '%(username)s'.") % {"username": username}) from None
    return actor_for_user(user, channel=channel)
