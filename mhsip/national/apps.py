from django.apps import AppConfig


class NationalConfig(AppConfig):
    name = "mhsip.national"
    verbose_name = "National statistics"
