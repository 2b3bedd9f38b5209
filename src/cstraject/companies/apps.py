from django.apps import AppConfig


class CompaniesConfig(AppConfig):
    name = "cstraject.companies"
    label = "companies"
