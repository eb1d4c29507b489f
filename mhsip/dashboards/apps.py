from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "mhsip.dashboards"
    verbose_name = "Measures and dashboards"

    def ready(self) -> None:
        from mhsip.dashboards.tasks import connect_signals

        connect_signals()
