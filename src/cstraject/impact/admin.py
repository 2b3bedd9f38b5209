from django.contrib import admin

from .models import FinalReport


@admin.register(FinalReport)
class FinalReportAdmin(admin.ModelAdmin):
    list_display = ("dossier", "provider_signed_at", "sme_signed_at", "satisfaction")
    list_select_related = ("dossier",)
    raw_id_fields = ("dossier",)
