"""Reads on dossiers, scoped to what the actor may see."""

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import QuerySet

from cstraject.accounts.actors import Actor
from cstraject.accounts.models import Role

from .models import Dossier
from .workflow import actor_owns


def dossier_list(*, actor: Actor, status: str | None = None, call_code: str | None = None) -> QuerySet[Dossier]:
    """Providers see their own dossiers, SME contacts their company's, the agency all."""
    dossiers = Dossier.objects.select_related("call", "provider", "company", "nace_code")
    if actor.role == Role.PROVIDER:
        dossiers = dossiers.filter(provider_id=actor.provider_id)
    elif actor.role == Role.SME_CONTACT:
        # An SME contact without a company sees nothing (filtering on None would mean "no company").
        dossiers = dossiers.filter(company_id=actor.company_id) if actor.company_id is not None else dossiers.none()
    if status:
        dossiers = dossiers.filter(status=status)
    if call_code:
        dossiers = dossiers.filter(call__code=call_code)
    return dossiers.order_by("reference")


def dossier_get(*, actor: Actor, reference: str) -> Dossier:
    try:
        dossier = Dossier.objects.select_related("call", "provider", "company", "nace_code").get(reference=reference)
    except Dossier.DoesNotExist:
        raise ObjectDoesNotExist(f"Dossier '{reference}' bestaat niet.") from None
    if not actor_owns(actor, dossier):
        raise PermissionDenied(f"{actor.label} mag dossier {reference} niet inzien.")
    return dossier
