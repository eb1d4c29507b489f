from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "mhsip.dashboards"
    verbose_name = "Measures and dashboards"
