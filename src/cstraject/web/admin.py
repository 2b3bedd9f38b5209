"""The Django admin for the administrator role. Models of other apps are
registered here unless their own app already did."""

from django.contrib import admin

from cstraject.accounts.models import Profile
from cstraject.audit.models import AuditEvent
from cstraject.calls.models import Call, Package
from cstraject.companies.models import AnnualAccounts, Company, CompanyRelation, DeMinimisAid, NaceCode
from cstraject.dossiers.models import Dossier, DossierDocument, EligibilityResult, QuoteLine
from cstraject.payments.models import Collection, Payment, PaymentRequest, PerformanceStatement, Recovery
from cstraject.providers.models import ServiceProvider


class ReadOnlyAuditAdmin(admin.ModelAdmin):
    """The audit trail is append-only: the admin shows it, never changes it."""

    list_display = ("occurred_at", "actor_label", "actor_role", "action", "dossier", "from_status", "to_status")
    list_filter = ("action", "actor_role")
    search_fields = ("dossier__reference", "actor_label")
    list_select_related = ("dossier",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class DossierAdmin(admin.ModelAdmin):
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


class CompanyAdmin(admin.ModelAdmin):
    list_display = ("name", "enterprise_number", "legal_form", "province")
    search_fields = ("name", "enterprise_number")
    raw_id_fields = ("nace_code",)
    show_full_result_count = False


def _register(model, model_admin=None):
    if not admin.site.is_registered(model):
        admin.site.register(model, model_admin)


_register(AuditEvent, ReadOnlyAuditAdmin)
_register(Dossier, DossierAdmin)
_register(Company, CompanyAdmin)
for _model in (
    Profile,
    Call,
    Package,
    AnnualAccounts,
    CompanyRelation,
    DeMinimisAid,
    NaceCode,
    DossierDocument,
    EligibilityResult,
    QuoteLine,
    Collection,
    Payment,
    PaymentRequest,
    PerformanceStatement,
    Recovery,
    ServiceProvider,
):
    _register(_model)
