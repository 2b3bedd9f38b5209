"""Who a user is in the scheme: one role, and for tenants the organisation."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PROVIDER = "provider", _("Dienstverlener")
    SME_CONTACT = "sme_contact", _("Contactpersoon kmo")
    CASE_HANDLER = "case_handler", _("Dossierbehandelaar")
    CONTROLLER = "controller", _("Controleur")
    POLICY = "policy", _("Beleidsmedewerker")
    ADMIN = "admin", _("Beheerder")
    # Actions by the system itself (reference import, scheduled checks).
    SYSTEM = "system", _("Systeem")


class Profile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    role = models.CharField(_("rol"), max_length=20, choices=Role.choices)
    provider = models.ForeignKey(
        "providers.ServiceProvider", null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    company = models.ForeignKey(
        "companies.Company", null=True, blank=True, on_delete=models.PROTECT, related_name="contacts"
    )
    # The language of the e-mails and letters this user receives; empty: the installation's (Dutch).
    language = models.CharField(
        _("taal van berichten en brieven"), max_length=5, choices=settings.LANGUAGES, blank=True, default=""
    )

    class Meta:
        verbose_name = _("profiel")
        verbose_name_plural = _("profielen")
        constraints = [
            models.CheckConstraint(
                name="provider_user_has_provider",
                condition=~models.Q(role="provider") | models.Q(provider__isnull=False),
            ),
            models.CheckConstraint(
                name="sme_contact_has_company",
                condition=~models.Q(role="sme_contact") | models.Q(company__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"
