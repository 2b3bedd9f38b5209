"""The framework versions and their themes (reference data), and the themes a provider plans in the quote."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cstraject.accounts.actors import Actor
from cstraject.accounts.permissions import Action, may, require
from cstraject.audit.models import AuditAction
from cstraject.audit.services import audit_event_record
from cstraject.calls.models import Call
from cstraject.core.money import parse_quantity
from cstraject.core.numbers import format_number
from cstraject.dossiers.models import Dossier, DossierStatus, QuoteLine

from .models import CallFramework, FrameworkVersion, PlannedTheme, Theme

# Themes may be set from the draft until the work is finished.
PLANNABLE_STATUSES = [DossierStatus.DRAFT, DossierStatus.SUBMITTED, DossierStatus.APPROVED, DossierStatus.IN_PROGRESS]


@transaction.atomic
def framework_version_upsert(
    *, code: str, name: str, functions: list[dict], based_on: str = "", published_date=None, source: str = ""
) -> FrameworkVersion:
    """Create or complete a framework version with its functions and categories (idempotent on codes)."""
    version, _created = FrameworkVersion.objects.update_or_create(
        code=code,
        defaults={
            "name": name,
            "based_on": based_on,
            "published_date": date.fromisoformat(published_date) if isinstance(published_date, str) else published_date,
            "source": source,
        },
    )
    order = 0
    for spec in functions:
        order += 1
        function, _created = Theme.objects.update_or_create(
            version=version,
            code=spec["code"],
            defaults={"parent": None, "name_nl": spec["name_nl"], "name_en": spec.get("name_en", ""), "order": order},
        )
        for category in spec.get("categories", []):
            order += 1
            if not category["code"].startswith(f"{spec['code']}."):
                raise ValidationError(
                    {
                        "code": (
                            _("Categorie %(code)s hoort niet bij functie %(code2)s.")
                            % {"code": category["code"], "code2": spec["code"]}
                        )
                    }
                )
            Theme.objects.update_or_create(
                version=version,
                code=category["code"],
                defaults={
                    "parent": function,
                    "name_nl": category["name_nl"],
                    "name_en": category.get("name_en", ""),
                    "order": order,
                },
            )
    return version


@transaction.atomic
def call_framework_set(*, call: Call, version_code: str) -> CallFramework:
    version = FrameworkVersion.objects.filter(code=version_code).first()
    if version is None:
        raise ValidationError(
            {"framework_version": (_("Kaderversie '%(version_code)s' bestaat niet.") % {"version_code": version_code})}
        )
    link, _created = CallFramework.objects.update_or_create(call=call, defaults={"version": version})
    return link


def call_framework_version(call_id: int) -> FrameworkVersion | None:
    link = CallFramework.objects.select_related("version").filter(call_id=call_id).first()
    return link.version if link else None


def themes_for_call(call_id: int, *, codes=None, functions: bool | None = None) -> dict[str, Theme]:
    """The call's themes by code; `functions` True for functions only, False for categories only."""
    version = call_framework_version(call_id)
    if version is None:
        return {}
    query = Theme.objects.filter(version=version).select_related("parent")
    if codes is not None:
        query = query.filter(code__in=list(codes))
    if functions is True:
        query = query.filter(parent__isnull=True)
    elif functions is False:
        query = query.filter(parent__isnull=False)
    return {theme.code: theme for theme in query}


def resolve_category(call_id: int, code, *, field: str, themes: dict[str, Theme]) -> Theme:
    """The category `code` of the call's framework version, or a ValidationError on `field`."""
    text = str(code or "").strip().upper()
    if not text:
        raise ValidationError({field: _("Kies een thema.")})
    theme = themes.get(text)
    if theme is None or theme.is_function:
        version = call_framework_version(call_id)
        if version is None:
            raise ValidationError({field: _("De oproep van dit dossier heeft geen kader met thema's.")})
        if theme is not None:
            raise ValidationError(
                {field: (_("%(text)s is een functie; kies een categorie ervan (bv. %(text)s.xx).") % {"text": text})}
            )
        raise ValidationError(
            {
                field: (
                    _("Thema '%(text)s' bestaat niet in %(code)s, het kader van de oproep.")
                    % {"text": text, "code": version.code}
                )
            }
        )
    return theme


@transaction.atomic
def planned_themes_set(*, actor: Actor, dossier: Dossier, themes: list[dict]) -> list[PlannedTheme]:
    """Replace the themes of the quote's work.

    Each item: `theme` (category code of the call's framework version),
    `man_days` (> 0), optional `quote_line` (package code of one of the
    dossier's quote lines) and `description`. The man-days together may not
    exceed the quote's. The main theme is the one with the most man-days,
    ties broken by theme code.
    """
    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
    require(actor, Action.THEMES_PLAN, dossier)
    # Only a history import (the reference data) records themes of a dossier past planning.
    if not may(actor, Action.HISTORY_IMPORT) and dossier.status not in PLANNABLE_STATUSES:
        raise ValidationError(
            {
                "themes": (
                    _("Thema's kunnen niet meer gewijzigd worden; het dossier is '%(get_status_display)s'.")
                    % {"get_status_display": dossier.get_status_display()}
                )
            }
        )
    if not themes:
        raise ValidationError({"themes": _("Geef minstens één thema met zijn mensdagen.")})
    known = themes_for_call(dossier.call_id)
    lines = {line.package.code: line for line in QuoteLine.objects.filter(dossier=dossier).select_related("package")}
    errors: dict[str, str] = {}
    rows: list[PlannedTheme] = []
    seen: set[str] = set()
    for index, item in enumerate(themes):
        prefix = f"themes[{index}]"
        try:
            theme = resolve_category(dossier.call_id, item.get("theme"), field=f"{prefix}.theme", themes=known)
        except ValidationError as error:
            errors.update({k: v[0] for k, v in error.message_dict.items()})
            continue
        if theme.code in seen:
            errors[f"{prefix}.theme"] = _("Thema %(code)s staat er twee keer in; tel de mensdagen samen.") % {
                "code": theme.code
            }
            continue
        seen.add(theme.code)
        try:
            man_days = parse_quantity(item.get("man_days"), field=f"{prefix}.man_days")
        except ValidationError as error:
            errors.update({k: v[0] for k, v in error.message_dict.items()})
            continue
        if man_days <= 0:
            errors[f"{prefix}.man_days"] = _("Mensdagen per thema moeten groter dan 0 zijn.")
            continue
        if man_days >= 100000:
            errors[f"{prefix}.man_days"] = _("%(man_days)s mensdagen is te veel voor één thema.") % {
                "man_days": format_number(man_days)
            }
            continue
        line = None
        line_code = str(item.get("quote_line") or "").strip()
        if line_code:
            line = lines.get(line_code)
            if line is None:
                errors[f"{prefix}.quote_line"] = _("Het dossier heeft geen offertelijn '%(line_code)s'.") % {
                    "line_code": line_code
                }
                continue
        description = str(item.get("description") or "").strip()
        if len(description) > 300:
            errors[f"{prefix}.description"] = _("Hoogstens 300 tekens.")
            continue
        rows.append(
            PlannedTheme(dossier=dossier, theme=theme, quote_line=line, description=description, man_days=man_days)
        )
    if errors:
        raise ValidationError(errors)
    total = sum((row.man_days for row in rows), Decimal(0))
    if dossier.quote_man_days and total > dossier.quote_man_days:
        raise ValidationError(
            {
                "themes": (
                    _("De mensdagen per thema (%(total)s) zijn meer dan de offerte (%(quote_man_days)s).")
                    % {"total": format_number(total), "quote_man_days": format_number(dossier.quote_man_days)}
                )
            }
        )
    main = min(rows, key=lambda row: (-row.man_days, row.theme.code))
    main.is_main = True
    PlannedTheme.objects.filter(dossier=dossier).delete()
    created = PlannedTheme.objects.bulk_create(rows)
    audit_event_record(
        actor=actor,
        action=AuditAction.EDIT,
        dossier=dossier,
        reason=_("Thema's van de offerte vastgelegd."),
        data={"themes": {row.theme.code: str(row.man_days) for row in rows}, "main": main.theme.code},
    )
    return created
