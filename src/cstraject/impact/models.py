"""The final report (eindverslag): what the trajectory improved, signed by
the provider, co-signed by the SME, with the SME's own feedback. It is the
first source for question 5 (impact)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class FinalReport(models.Model):
    dossier = models.OneToOneField("dossiers.Dossier", on_delete=models.PROTECT, related_name="final_report")
    improvements = models.TextField(_("gerealiseerde verbeteringen"))
    provider_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    provider_signatory = models.CharField(_("ondertekend door (dienstverlener)"), max_length=150)
    provider_signed_at = models.DateTimeField(_("ondertekend door dienstverlener op"))
    sme_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sme_signatory = models.CharField(_("medeondertekend door (kmo)"), max_length=150, blank=True)
    sme_signed_at = models.DateTimeField(_("medeondertekend door kmo op"), null=True, blank=True)
    sme_feedback = models.TextField(_("feedback van de kmo"), blank=True)
    satisfaction = models.PositiveSmallIntegerField(_("tevredenheid (1-5)"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("eindverslag")
        verbose_name_plural = _("eindverslagen")
        ordering = ["-provider_signed_at"]
        constraints = [
            models.CheckConstraint(
                name="satisfaction_1_to_5",
                condition=models.Q(satisfaction__isnull=True) | models.Q(satisfaction__gte=1, satisfaction__lte=5),
            ),
            models.CheckConstraint(
                name="cosigned_with_satisfaction",
                condition=models.Q(sme_signed_at__isnull=True) | models.Q(satisfaction__isnull=False),
            ),
        ]

    @property
    def is_cosigned(self) -> bool:
        return self.sme_signed_at is not None

    def __str__(self) -> str:
        return f"Eindverslag {self.dossier_id}"
