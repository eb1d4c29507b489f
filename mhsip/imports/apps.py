from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "mhsip.imports"
    verbose_name = "Imports of incident exports, bed days and national statistics"
