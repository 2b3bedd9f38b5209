"""The Django admin for the administrator role. Models of other apps are
registered here unless their own app already did.

Workflow and money models are read-only (`ReadOnlyAdmin`); configuration
models are editable and audited (`AuditedAdmin`); who may use the admin is the
permission table's `admin.configure` (see `cstraject.accounts.admin_base`).
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group

from cstraject.accounts.admin_base import AuditedAdmin, ReadOnlyAdmin
from cstraject.accounts.models import Profile
from cstraject.audit.models import AuditEvent
from cstraject.calls.models import Call, Package
from cstraject.companies.models import AnnualAccounts, Company, CompanyRelation, DeMinimisAid, NaceCode
from cstraject.dossiers.models import Dossier, DossierDocument, EligibilityResult, QuoteLine
from cstraject.payments.models import Collection, Payment, PaymentRequest, PerformanceStatement, Recovery
from cstraject.providers.models import ServiceProvider


class AuditEventAdmin(ReadOnlyAdmin):
    """The audit trail is append-only: the admin shows it, never changes it."""

    list_display = (
        "occurred_at",
        "actor_label",
        "actor_role",
        "channel",
        "os_user",
        "action",
        "dossier",
        "from_status",
        "to_status",
    )
    list_filter = ("action", "actor_role", "channel")
    search_fields = ("dossier__reference", "actor_label", "os_user")
    list_select_related = ("dossier",)


class DossierAdmin(ReadOnlyAdmin):
    list_display = (
        "reference",
        "status",
        "provider",
        "company",
        "province",
        "size_class",
        "subsidy_amount",
        "submitted_date",
    )
    list_filter = ("status", "call", "province", "size_class")
    search_fields = ("reference", "company__name", "company__enterprise_number")
    list_select_related = ("provider", "company")
    raw_id_fields = ("company", "nace_code")
    show_full_result_count = False


class CompanyAdmin(AuditedAdmin):
    list_display = ("name", "enterprise_number", "legal_form", "province")
    search_fields = ("name", "enterprise_number")
    raw_id_fields = ("nace_code",)
    show_full_result_count = False


class ProfileAdmin(AuditedAdmin):
    list_display = ("user", "role", "provider", "company", "language")
    list_filter = ("role",)
    raw_id_fields = ("company",)


class CstrajectUserAdmin(AuditedAdmin, UserAdmin):
    """Django's user admin (password forms validated by AUTH_PASSWORD_VALIDATORS), audited."""


def _register(model, model_admin):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, model_admin)


_register(get_user_model(), CstrajectUserAdmin)
if admin.site.is_registered(Group):
    # Who may do what is the permission table's answer, not Django's groups.
    admin.site.unregister(Group)
_register(AuditEvent, AuditEventAdmin)
_register(Dossier, DossierAdmin)
_register(Company, CompanyAdmin)
_register(Profile, ProfileAdmin)
for _configuration in (Call, Package, AnnualAccounts, CompanyRelation, DeMinimisAid, NaceCode, ServiceProvider):
    _register(_configuration, AuditedAdmin)
for _record in (
    DossierDocument,
    EligibilityResult,
    QuoteLine,
    Collection,
    Payment,
    PaymentRequest,
    PerformanceStatement,
    Recovery,
):
    _register(_record, ReadOnlyAdmin)
