"""Who acts: every service takes an `Actor`, whether the call comes from the
web, the CLI or the reference loader, so role checks live in one place."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied

from .models import Role


@dataclass(frozen=True)
class Actor:
    label: str
    role: Role
    user_id: int | None = None
    provider_id: int | None = None
    company_id: int | None = None

    @property
    def user(self):
        return get_user_model().objects.get(pk=self.user_id) if self.user_id else None

    def require(self, *roles: Role) -> None:
        if self.role not in roles:
            allowed = ", ".join(str(Role(r).label) for r in roles)
            raise PermissionDenied(f"Rol '{Role(self.role).label}' mag dit niet; toegelaten: {allowed}.")


def system_actor(label: str = "systeem") -> Actor:
    return Actor(label=label, role=Role.SYSTEM)


def actor_for_user(user) -> Actor:
    """The actor for a logged-in user; superusers without profile act as administrator."""
    profile = getattr(user, "profile", None)
    if profile is None:
        if user.is_superuser:
            return Actor(label=user.get_username(), role=Role.ADMIN, user_id=user.pk)
        raise PermissionDenied(f"Gebruiker '{user.get_username()}' heeft geen rol in cstraject.")
    return Actor(
        label=user.get_username(),
        role=Role(profile.role),
        user_id=user.pk,
        provider_id=profile.provider_id,
        company_id=profile.company_id,
    )


def actor_for_username(username: str) -> Actor:
    User = get_user_model()
    try:
        user = User.objects.select_related("profile").get(username=username)
    except User.DoesNotExist:
        raise PermissionDenied(f"Onbekende gebruiker '{username}'.") from None
    return actor_for_user(user)
