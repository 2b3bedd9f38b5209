from django.db import transaction

from cstraject.calls.models import Call
from cstraject.core.enterprise_number import normalize_enterprise_number

from .models import ServiceProvider


@transaction.atomic
def provider_upsert(*, code: str, name: str, enterprise_number: str) -> ServiceProvider:
    provider, _created = ServiceProvider.objects.update_or_create(
        code=code, defaults={"name": name, "enterprise_number": normalize_enterprise_number(enterprise_number)}
    )
    return provider


@transaction.atomic
def provider_offer_call(*, provider: ServiceProvider, call: Call) -> None:
    """Put every package of `call` in the provider's catalogue."""
    provider.packages.add(*call.packages.all())
