from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "mhsip.incidents"
    verbose_name = "Use-of-force records"
