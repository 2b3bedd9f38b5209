"""Service providers (dienstverleners) accredited through the framework contract."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cstraject.core.enterprise_number import format_enterprise_number


class ServiceProvider(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("naam"), max_length=200)
    enterprise_number = models.CharField(_("ondernemingsnummer"), max_length=10, unique=True)
    is_active = models.BooleanField(_("actief"), default=True)
    # The provider's catalogue: the packages of each call it may quote.
    packages = models.ManyToManyField(
        "calls.Package", related_name="providers", blank=True, verbose_name=_("pakketten")
    )

    class Meta:
        verbose_name = _("dienstverlener")
        verbose_name_plural = _("dienstverleners")
        ordering = ["code"]

    @property
    def display_enterprise_number(self) -> str:
        return format_enterprise_number(self.enterprise_number)

    def __str__(self) -> str:
        return self.name
