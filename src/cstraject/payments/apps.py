from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "cstraject.payments"
    label = "payments"
