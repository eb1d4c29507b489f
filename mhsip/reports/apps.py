from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "mhsip.reports"
    verbose_name = "Reports and downloads"
