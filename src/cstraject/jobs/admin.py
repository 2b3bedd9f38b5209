"""Background jobs in the Django admin: to look, not to change (jobs change only through their tasks)."""

from django.contrib import admin

from cstraject.accounts.admin_base import ReadOnlyAdmin

from .models import BackgroundJob


@admin.register(BackgroundJob)
class BackgroundJobAdmin(ReadOnlyAdmin):
    list_display = ("pk", "kind", "status", "started_by_label", "created_at", "finished_at", "progress_label")
    list_filter = ("kind", "status")
    search_fields = ("started_by_label", "error", "summary")
