from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobKind(models.TextChoices):
    SCREENING = "screening", _("Risicoscreening")
    KBO_IMPORT = "kbo_import", _("KBO-extract inlezen")
    ACCOUNTS_IMPORT = "accounts_import", _("Jaarrekeningen inlezen")
    REPORT = "report", _("Antwoord op vraag 526")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("in de wachtrij")
    RUNNING = "running", _("bezig")
    DONE = "done", _("klaar")
    FAILED = "failed", _("mislukt")


class BackgroundJob(models.Model):
    """One piece of long work started by a user and run by a django-tasks task (see cstraject.jobs.services).

    `action` is the permission-table action the work needs: who may still take it may download the result.
    The input (an uploaded file) and the result file live under MEDIA_ROOT/jobs/<id>/."""

    kind = models.CharField(_("soort"), max_length=30, choices=JobKind.choices)
    action = models.CharField(_("handeling"), max_length=50)
    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="background_jobs",
        verbose_name=_("gestart door"),
    )
    started_by_label = models.CharField(_("gestart door (naam)"), max_length=150)
    channel = models.CharField(_("kanaal"), max_length=10, default="web")
    # The starter's language: the task's progress texts, messages and result follow it.
    language = models.CharField(_("taal"), max_length=10, default="nl")
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    input_name = models.CharField(_("invoerbestand"), max_length=255, blank=True)
    input_path = models.CharField(_("pad van het invoerbestand"), max_length=500, blank=True)
    task_id = models.CharField(_("taak-id"), max_length=100, blank=True)
    progress_done = models.PositiveIntegerField(_("stappen klaar"), default=0)
    progress_total = models.PositiveIntegerField(_("stappen in totaal"), default=0)
    progress_label = models.CharField(_("huidige stap"), max_length=300, blank=True)
    error = models.TextField(_("foutmelding"), blank=True)
    summary = models.TextField(_("resultaat"), blank=True)
    result = models.JSONField(_("resultaatgegevens"), default=dict, blank=True)
    result_name = models.CharField(_("resultaatbestand"), max_length=255, blank=True)
    result_path = models.CharField(_("pad van het resultaatbestand"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    started_at = models.DateTimeField(_("begonnen"), null=True, blank=True)
    finished_at = models.DateTimeField(_("beëindigd"), null=True, blank=True)
    updated_at = models.DateTimeField(_("bijgewerkt"), auto_now=True)

    class Meta:
        verbose_name = _("achtergrondtaak")
        verbose_name_plural = _("achtergrondtaken")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["started_by", "-created_at"], name="job_by_starter")]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def is_active(self) -> bool:
        return self.status in (JobStatus.QUEUED, JobStatus.RUNNING)

    @property
    def percent(self) -> int | None:
        if self.status == JobStatus.DONE:
            return 100
        if not self.progress_total:
            return None
        return min(100, self.progress_done * 100 // self.progress_total)
