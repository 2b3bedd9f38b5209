from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    name = "cstraject.accounts"
    label = "accounts"


class CstrajectAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with cstraject's site (entry checked by the permission table); named in
    INSTALLED_APPS, never this module's default (that stays AccountsConfig)."""

    default = False
    default_site = "cstraject.accounts.admin_base.CstrajectAdminSite"
