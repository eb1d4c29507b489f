from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "mhsip.accounts"
    verbose_name = "Accounts"
