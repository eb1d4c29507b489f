from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "mhsip.network"
    verbose_name = "Safety Improvement Network"
