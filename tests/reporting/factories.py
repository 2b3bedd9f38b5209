"""Factories the reporting tests add on top of tests/factories.py."""

import factory

from cstraject.payments.models import Payment
from tests.factories import DossierFactory


class PaymentFactory(factory.django.DjangoModelFactory):
    """The first tranche (60 %) of a granted dossier, paid in the second quarter of 2021."""

    class Meta:
        model = Payment

    dossier = factory.SubFactory(DossierFactory)
    tranche = 1
    amount = factory.LazyAttribute(lambda o: (o.dossier.subsidy_amount * 6 / 10).quantize(o.dossier.subsidy_amount))
    payment_date = factory.LazyFunction(lambda: __import__("datetime").date(2021, 6, 30))
