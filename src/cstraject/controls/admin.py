"""Controls and screening in the Django admin: to look, not to change (writes go through the services,
which check and audit them)."""

from django.contrib import admin

from .models import Control, ControlSelection, Finding, ScreeningParameters, ScreeningRun


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Control)
class ControlAdmin(ReadOnly):
    list_display = ("dossier", "kind", "trigger", "status", "performed_date", "outcome", "controller_label")
    list_filter = ("kind", "trigger", "status", "outcome")
    search_fields = ("dossier__reference",)
    list_select_related = ("dossier",)


@admin.register(Finding)
class FindingAdmin(ReadOnly):
    list_display = ("control", "category", "financial_effect", "fraud_referred", "recovery")
    list_filter = ("category", "fraud_referred")


@admin.register(ScreeningRun)
class ScreeningRunAdmin(ReadOnly):
    list_display = ("pk", "started_at", "finished_at", "status", "is_current", "dossier_count", "hit_count")


@admin.register(ControlSelection)
class ControlSelectionAdmin(ReadOnly):
    list_display = ("pk", "created_at", "created_by_label", "seed", "run")


@admin.register(ScreeningParameters)
class ScreeningParametersAdmin(ReadOnly):
    list_display = ("call", "values")
