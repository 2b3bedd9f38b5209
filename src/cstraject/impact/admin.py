from django.contrib import admin

from cstraject.accounts.admin_base import ReadOnlyAdmin

from .models import FinalReport


@admin.register(FinalReport)
class FinalReportAdmin(ReadOnlyAdmin):
    """Signed by the provider and the SME through the services; the admin only shows it."""

    list_display = ("dossier", "provider_signed_at", "sme_signed_at", "satisfaction")
    list_select_related = ("dossier",)
    raw_id_fields = ("dossier",)
