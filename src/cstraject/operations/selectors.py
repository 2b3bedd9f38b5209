"""Reads of the outbox."""

from django.http import Http404

from cstraject.accounts.actors import Actor
from cstraject.accounts.permissions import Action, may, scope_dossiers
from cstraject.dossiers.models import Dossier

from .models import Letter, Notification


def dossier_notifications(*, actor: Actor | None, dossier) -> list[Notification] | None:
    """The e-mails about `dossier`, newest first; None when the actor may not see them."""
    if actor is None or not may(actor, Action.NOTIFICATION_VIEW, dossier):
        return None
    return list(Notification.objects.filter(dossier=dossier).order_by("-created_at", "-id"))


def dossier_letters(*, actor: Actor | None, dossier) -> list[Letter] | None:
    """The letters issued for `dossier`; None when the actor may not see the dossier's documents."""
    if actor is None or not may(actor, Action.DOCUMENT_VIEW, dossier):
        return None
    return list(Letter.objects.filter(dossier=dossier).order_by("issued_at", "id"))


def letter_get(*, actor: Actor, pk: int) -> Letter:
    """A letter, only for who may see its dossier's documents (404 otherwise, as for documents)."""
    letter = Letter.objects.select_related("dossier").filter(pk=pk).first()
    if (
        letter is None
        or not scope_dossiers(actor, Dossier.objects.all(), Action.DOCUMENT_VIEW).filter(pk=letter.dossier_id).exists()
    ):
        raise Http404("Brief niet gevonden.")
    return letter
