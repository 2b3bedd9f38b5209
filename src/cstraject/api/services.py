"""API tokens: created and revoked by an administrator (or the operator on the server), audited."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cstraject.accounts.actors import Actor, Channel, actor_for_user
from cstraject.accounts.permissions import Action, require
from cstraject.audit.models import AuditAction
from cstraject.audit.services import audit_event_record

from .models import ApiToken

PREFIX = "cst_"


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, actor: Actor, username: str, name: str = "api") -> tuple[ApiToken, str]:
    """A new token for `username`; returns the token and its secret (shown once, never stored)."""
    require(actor, Action.API_TOKEN_MANAGE)
    user = get_user_model().objects.filter(username=username).first()
    if user is None or not user.is_active:
        raise ValidationError({"username": _("Gebruiker '%(u)s' bestaat niet of is gedeactiveerd.") % {"u": username}})
    key = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=str(name)[:100], prefix=key[:12], key_sha256=_digest(key))
    audit_event_record(
        actor=actor,
        action=AuditAction.ACCOUNT,
        reason=_("API-sleutel %(p)s… aangemaakt voor %(u)s.") % {"p": token.prefix, "u": username},
        data={"username": username, "token": token.prefix, "name": token.name},
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, actor: Actor, prefix: str) -> ApiToken:
    require(actor, Action.API_TOKEN_MANAGE)
    token = ApiToken.objects.select_for_update().filter(prefix=prefix, revoked_at=None).first()
    if token is None:
        raise ObjectDoesNotExist(_("Geen geldige API-sleutel die begint met '%(p)s'.") % {"p": prefix[:12]})
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_event_record(
        actor=actor,
        action=AuditAction.ACCOUNT,
        reason=_("API-sleutel %(p)s… ingetrokken.") % {"p": token.prefix},
        data={"username": token.user.username, "token": token.prefix},
    )
    return token


def api_token_actor(key: str) -> tuple[ApiToken, Actor] | None:
    """The token and the actor for a presented secret; None for an unknown, revoked or inactive one."""
    if not key.startswith(PREFIX) or len(key) > 100:
        return None
    token = ApiToken.objects.select_related("user").filter(key_sha256=_digest(key), revoked_at=None).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    try:
        return token, actor_for_user(token.user, channel=Channel.API)
    except PermissionDenied:  # a user without a role in cstraject
        return None
