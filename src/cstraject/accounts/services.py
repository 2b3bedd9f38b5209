"""Writes on users and their role (Profile). Every change writes an audit
event (action `account`, never the password itself); who may make it is the
permission table's `users.manage`."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cstraject.audit.models import AuditAction
from cstraject.audit.services import audit_event_record
from cstraject.companies.models import Company
from cstraject.core.enterprise_number import normalize_enterprise_number
from cstraject.providers.models import ServiceProvider

from .actors import Actor, system_actor
from .models import Profile, Role
from .permissions import Action, require


def _password_checked(password: str, user) -> None:
    """AUTH_PASSWORD_VALIDATORS, with the error on the field `password`."""
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from None


@transaction.atomic
def user_create(
    *,
    actor: Actor | None = None,
    username: str,
    role: str,
    provider_code: str | None = None,
    company_number: str | None = None,
    email: str = "",
    password: str | None = None,
    language: str = "",
):
    """A user with one role; providers belong to a provider, SME contacts to a company. `language`: of the
    e-mails and letters the user receives (nl, en; empty: the installation's, Dutch).
    Without a password the user cannot log in on the web (CLI `--as` only) until one is set.
    Without `actor` the system acts (setup scripts)."""
    actor = actor or system_actor()
    require(actor, Action.USER_MANAGE)
    User = get_user_model()
    username = (username or "").strip()
    errors: dict[str, str | list[str]] = {}
    if not username:
        errors["username"] = _("Gebruikersnaam is verplicht.")
    elif User.objects.filter(username=username).exists():
        errors["username"] = _("Gebruiker '%(username)s' bestaat al.") % {"username": username}
    if role not in Role.values:
        errors["role"] = _("Rol '%(role)s' is onbekend; kies uit %(values)s.") % {
            "role": role,
            "values": ", ".join(Role.values),
        }
    provider = company = None
    if provider_code:
        provider = ServiceProvider.objects.filter(code=provider_code).first()
        if provider is None:
            errors["provider"] = _("Dienstverlener '%(provider_code)s' is onbekend.") % {"provider_code": provider_code}
    if company_number:
        try:
            company = Company.objects.filter(
                enterprise_number=normalize_enterprise_number(company_number, field="company")
            ).first()
        except ValidationError as error:
            errors.update(error.message_dict)
        else:
            if company is None:
                errors["company"] = _("Onderneming '%(company_number)s' is onbekend.") % {
                    "company_number": company_number
                }
    if role == Role.PROVIDER and not provider_code:
        errors["provider"] = _(
            "Een gebruiker met rol dienstverlener hoort bij een dienstverlener: geef --provider CODE."
        )
    if role == Role.SME_CONTACT and not company_number:
        errors["company"] = _("Een contactpersoon van een kmo hoort bij een onderneming: geef --company NUMMER.")
    if language not in ("", *(code for code, _name in settings.LANGUAGES)):
        errors["language"] = _("Taal '%(language)s' is onbekend; kies uit %(choices)s.") % {
            "language": language,
            "choices": ", ".join(code for code, _name in settings.LANGUAGES),
        }
    if provider_code and role != Role.PROVIDER:
        errors["provider"] = _("Enkel een dienstverlener hoort bij een dienstverlener.")
    if password is not None and not errors:
        try:
            _password_checked(password, User(username=username, email=email))
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    user = User.objects.create_user(username=username, email=email, password=password)
    if password is None:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    Profile.objects.create(user=user, role=role, provider=provider, company=company, language=language)
    audit_event_record(
        actor=actor,
        action=AuditAction.ACCOUNT,
        reason=(_("Gebruiker %(username)s aangemaakt.") % {"username": username}),
        data={
            "user": username,
            "role": role,
            "provider": provider.code if provider else None,
            "company": company.enterprise_number if company else None,
            "password_set": password is not None,
        },
    )
    return user


def _user_get(username: str):
    User = get_user_model()
    try:
        return User.objects.select_for_update().get(username=username)
    except User.DoesNotExist:
        raise ValidationError(
            {"username": (_("Gebruiker '%(username)s' bestaat niet.") % {"username": username})}
        ) from None


@transaction.atomic
def user_set_password(*, actor: Actor, username: str, password: str):
    """A new password, checked by AUTH_PASSWORD_VALIDATORS."""
    require(actor, Action.USER_MANAGE)
    user = _user_get(username)
    if not password:
        raise ValidationError({"password": _("Het wachtwoord mag niet leeg zijn.")})
    _password_checked(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_event_record(
        actor=actor,
        action=AuditAction.ACCOUNT,
        reason=(_("Wachtwoord van %(username)s gewijzigd.") % {"username": username}),
        data={"user": username},
    )
    return user


@transaction.atomic
def user_deactivate(*, actor: Actor, username: str):
    """The user can no longer log in nor be used with `--as`; its history stays."""
    require(actor, Action.USER_MANAGE)
    user = _user_get(username)
    if not user.is_active:
        raise ValidationError(
            {"username": (_("Gebruiker '%(username)s' is al gedeactiveerd.") % {"username": username})}
        )
    user.is_active = False
    user.save(update_fields=["is_active"])
    audit_event_record(
        actor=actor,
        action=AuditAction.ACCOUNT,
        reason=(_("Gebruiker %(username)s gedeactiveerd.") % {"username": username}),
        data={"user": username, "is_active": False},
    )
    return user
