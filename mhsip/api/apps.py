from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "mhsip.api"
    verbose_name = "JSON API"
