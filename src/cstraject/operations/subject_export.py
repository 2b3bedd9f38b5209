"""Everything held about one enterprise or one contact person (the data subject's right of
access), as JSON: `cstraject export-subject --enterprise N | --user U`.

The records are found generically: every row of every model with a foreign key to the subject,
then every row with a foreign key to those (dossiers: quote lines, eligibility, documents,
payments, letters, e-mails, audit events, final report ...), three levels deep for an
enterprise (with its contact persons' accounts), one level for a person, each row once.
Passwords are left out, and e-mails to others (the provider's staff) without address and text; documents and letters appear with their file name, size and
SHA-256 (the files themselves are downloaded from the dossier).
"""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from cstraject.accounts.actors import Actor
from cstraject.accounts.permissions import Action, require
from cstraject.companies.models import Company
from cstraject.core.enterprise_number import normalize_enterprise_number

SECRET_FIELDS = {"password"}
# An enterprise: its rows, its dossiers' rows, and theirs. A person: the rows that name them.
ENTERPRISE_DEPTH = 3
USER_DEPTH = 1
# Configuration and reference tables hold nobody's data.
SKIP_MODELS = {"contenttypes.contenttype", "auth.permission", "admin.logentry", "sessions.session"}


def _serialize(instance, subject_users: set[int]) -> dict:
    (row,) = serializers.serialize("python", [instance])
    fields = {k: v for k, v in row["fields"].items() if k not in SECRET_FIELDS}
    if row["model"] == "operations.notification" and fields.get("recipient") not in subject_users:
        # An e-mail about the subject's dossier to someone else (the provider's staff): not theirs to see.
        fields.update(recipient=None, to_address="", body="")
    return {"model": row["model"], "pk": row["pk"], "fields": fields}


def _referencing(target_model):
    """(model, field name) of every foreign key or one-to-one pointing at `target_model`."""
    for model in apps.get_models():
        if model._meta.label_lower in SKIP_MODELS:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.ForeignKey) and field.related_model is target_model:
                yield model, field.name


def _collect(roots: list[models.Model], *, depth: int, subject_users: set[int]) -> list[dict]:
    seen = {(r._meta.label_lower, r.pk) for r in roots}
    records = [_serialize(r, subject_users) for r in roots]
    level = roots
    for _ in range(depth):
        following = []
        by_model: dict = {}
        for instance in level:
            by_model.setdefault(type(instance), []).append(instance.pk)
        for target, pks in by_model.items():
            for model, name in _referencing(target):
                for row in model._base_manager.filter(**{f"{name}__in": pks}).order_by("pk"):
                    key = (row._meta.label_lower, row.pk)
                    if key not in seen:
                        seen.add(key)
                        records.append(_serialize(row, subject_users))
                        following.append(row)
        level = following
        if not level:
            break
    return records


def subject_export(*, actor: Actor, enterprise_number: str | None = None, username: str | None = None) -> dict:
    require(actor, Action.SUBJECT_EXPORT)
    if bool(enterprise_number) == bool(username):
        raise ValidationError({"subject": "Geef een ondernemingsnummer of een gebruikersnaam, niet beide."})
    if enterprise_number:
        number = normalize_enterprise_number(enterprise_number, field="enterprise")
        company = Company.objects.filter(enterprise_number=number).first()
        if company is None:
            raise ValidationError({"enterprise": f"Geen onderneming met nummer {number}."})
        roots = [company]
        # Its contact persons' accounts belong to what is held about it.
        roots += list(get_user_model().objects.filter(profile__company=company).order_by("pk"))
        subject = {"enterprise_number": number}
        depth = ENTERPRISE_DEPTH
    else:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise ValidationError({"user": f"Geen gebruiker '{username}'."})
        roots = [user]
        subject = {"username": username}
        depth = USER_DEPTH
    users = {r.pk for r in roots if isinstance(r, get_user_model())}
    records = _collect(roots, depth=depth, subject_users=users)
    counts: dict[str, int] = {}
    for record in records:
        counts[record["model"]] = counts.get(record["model"], 0) + 1
    return {
        "subject": subject,
        "exported_at": timezone.now().isoformat(),
        "counts": dict(sorted(counts.items())),
        "records": records,
    }
