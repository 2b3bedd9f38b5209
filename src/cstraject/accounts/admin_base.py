"""The Django admin's rules, shared by every app's admin.py.

- Who may use the admin at all, and each model in it: the permission table's
  `admin.configure` (not Django's per-model permissions).
- `ReadOnlyAdmin`: workflow and money models (dossiers, eligibility results,
  quote lines, documents, statements, payment requests, payments,
  recoveries, collections, final reports, audit events) are shown, never
  added, changed or deleted here: those change only through the services,
  with their rules and audit events.
- `AuditedAdmin`: configuration models stay editable, and every addition,
  change and deletion writes an AuditEvent (action `configuration`) with the
  values before and after, in the admin's own transaction. Password hashes
  are never written to the trail, only that the password changed.
"""

from datetime import date, datetime
from decimal import Decimal

from django.contrib import admin
from django.utils.translation import gettext as _

from cstraject.audit.models import AuditAction
from cstraject.audit.services import audit_event_record

from .permissions import Action, may

SECRET_FIELDS = {"password"}


def _may_configure(request) -> bool:
    return may(getattr(request, "actor", None), Action.ADMIN_CONFIGURE)


def admin_site_has_permission(request) -> bool:
    """Replaces AdminSite.has_permission: an active staff user whose role may configure."""
    return request.user.is_active and request.user.is_staff and _may_configure(request)


class CstrajectAdminSite(admin.AdminSite):
    """The admin site whose entry check is the permission table's (`admin_site_has_permission`)."""

    def has_permission(self, request) -> bool:
        return admin_site_has_permission(request)


class TableAdmin(admin.ModelAdmin):
    """Model permissions from the permission table."""

    def has_module_permission(self, request):
        return _may_configure(request)

    def has_view_permission(self, request, obj=None):
        return _may_configure(request)

    def has_add_permission(self, request):
        return _may_configure(request)

    def has_change_permission(self, request, obj=None):
        return _may_configure(request)

    def has_delete_permission(self, request, obj=None):
        return _may_configure(request)


class ReadOnlyAdmin(TableAdmin):
    """Shown, never changed: these models change only through the services (the workflow)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        return {}


def _plain(value):
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, (Decimal, float)):
        return str(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value)


def snapshot(obj) -> dict:
    """Field values of `obj` as JSON: concrete fields (foreign keys as ids) and many-to-many ids."""
    values = {}
    for field in obj._meta.concrete_fields:
        values[field.attname] = _plain(getattr(obj, field.attname))
    if obj.pk is not None:
        for field in obj._meta.many_to_many:
            values[field.name] = sorted(getattr(obj, field.name).values_list("pk", flat=True))
    return values


def _changes(before: dict, after: dict) -> dict:
    changed = {}
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        changed[key] = {"gewijzigd": True} if key in SECRET_FIELDS else {"voor": old, "na": new}
    return changed


class AuditedAdmin(TableAdmin):
    """Every change through the admin is an AuditEvent with before and after values."""

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            obj._audit_before = snapshot(obj)
        return obj

    def _record(self, request, obj, verb: str, before: dict, after: dict):
        audit_event_record(
            actor=request.actor,
            action=AuditAction.CONFIGURATION,
            reason=(
                _("%(verbose_name)s '%(obj)s' %(verb)s in het beheer.")
                % {"verbose_name": obj._meta.verbose_name, "obj": obj, "verb": verb}
            ),
            data={"model": obj._meta.label, "pk": _plain(obj.pk), "changes": _changes(before, after)},
        )

    def log_addition(self, request, obj, message):
        self._record(request, obj, "toegevoegd", {}, snapshot(obj))
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        self._record(request, obj, "gewijzigd", getattr(obj, "_audit_before", {}), snapshot(obj))
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        for obj in queryset:
            self._record(request, obj, "verwijderd", snapshot(obj), {})
        return super().log_deletions(request, queryset)
