"""What every view shares: the permission guard, putting a service's errors back
on the form, the stale-form check."""

from contextlib import contextmanager
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cstraject.accounts.permissions import Action, may, require


def action_required(action: Action):
    """Login required; then 403 unless the permission table lets the user's role take `action`
    (on some object: which objects is for the selectors and services to say)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            actor = getattr(request, "actor", None)
            if actor is None:
                raise PermissionDenied(_("Uw account heeft geen rol in cstraject."))
            require(actor, action)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def apply_errors(form, error: ValidationError, *, aliases: dict[str, str] | None = None) -> None:
    """Put a service's ValidationError on the form: on the field it names, else at the top."""
    aliases = aliases or {}
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    for key, messages in error.message_dict.items():
        field: str | None = aliases.get(key, key)
        if field not in form.fields:
            # quote_lines[0].amount_excl_vat and friends: try the last part, else the top of the form.
            tail = key.rsplit(".", 1)[-1]
            field = aliases.get(tail, tail) if aliases.get(tail, tail) in form.fields else None
        for message in messages:
            form.add_error(field, message)


def version_of(dossier) -> str:
    return dossier.updated_at.isoformat() if dossier.updated_at else ""


def check_fresh(dossier, version: str) -> None:
    """Refuse a form made on an older state of the dossier (double submit, another tab, another user)."""
    from cstraject.dossiers.models import Dossier

    current = Dossier.objects.select_for_update().filter(pk=dossier.pk).values_list("updated_at", flat=True).first()
    if not version or current is None or current.isoformat() != version:
        raise ValidationError(
            _(
                "Het dossier is intussen gewijzigd (in een ander venster of door iemand anders). "
                "Bekijk de huidige gegevens en probeer opnieuw."
            )
        )


@contextmanager
def atomic_with_fresh(dossier, version):
    """A transaction in which the dossier row is locked and checked to be fresh."""
    with transaction.atomic():
        check_fresh(dossier, version)
        yield


# The start page: the first of these the actor may use.
HOME_PAGES = (
    (Action.ADMIN_CONFIGURE, "admin:index"),
    (Action.PROVIDER_PORTAL, "web:provider_dashboard"),
    (Action.SME_PORTAL, "web:sme_dashboard"),
    (Action.RECOVERY_LIST, "web:control_home"),
    (Action.WORK_QUEUE, "web:backoffice_queue"),
    (Action.STATISTICS_VIEW, "web:statistics"),
)


def home_page(actor) -> str | None:
    return next((url for action, url in HOME_PAGES if may(actor, action)), None)
