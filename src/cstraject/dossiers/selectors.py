"""Reads on dossiers, scoped to what the actor may see (the permission table decides)."""

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from cstraject.accounts.actors import Actor
from cstraject.accounts.permissions import Action, require, scope

from .models import Dossier


def scope_dossiers(
    actor: Actor | None, queryset: QuerySet[Dossier] | None = None, action: Action | str = Action.DOSSIER_VIEW
) -> QuerySet[Dossier]:
    """The dossiers `actor` may take `action` on (default: see), by the permission table."""
    return scope(actor, action, Dossier.objects.all() if queryset is None else queryset)


def dossier_list(*, actor: Actor, status: str | None = None, call_code: str | None = None) -> QuerySet[Dossier]:
    """Providers see their own dossiers, SME contacts their company's, the agency all; other roles are refused."""
    require(actor, Action.DOSSIER_LIST)
    dossiers = scope_dossiers(actor, Dossier.objects.select_related("call", "provider", "company", "nace_code"))
    if status:
        dossiers = dossiers.filter(status=status)
    if call_code:
        dossiers = dossiers.filter(call__code=call_code)
    return dossiers.order_by("reference")


def dossier_get(*, actor: Actor, reference: str) -> Dossier:
    """One dossier by reference. A role that sees no dossiers is refused (PermissionDenied, the web's 403);
    another tenant's dossier does not exist for the actor (ObjectDoesNotExist, the web's 404)."""
    require(actor, Action.DOSSIER_VIEW)
    queryset = scope_dossiers(actor, Dossier.objects.select_related("call", "provider", "company", "nace_code"))
    try:
        return queryset.get(reference=reference)
    except Dossier.DoesNotExist:
        raise ObjectDoesNotExist(_("Dossier '%(reference)s' bestaat niet.") % {"reference": reference}) from None
