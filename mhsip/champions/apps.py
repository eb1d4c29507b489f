from django.apps import AppConfig


class ChampionsConfig(AppConfig):
    name = "mhsip.champions"
    verbose_name = "Champions and alerts"
