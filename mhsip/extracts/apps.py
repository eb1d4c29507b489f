from django.apps import AppConfig


class ExtractsConfig(AppConfig):
    name = "mhsip.extracts"
    verbose_name = "MHSDS extracts"
