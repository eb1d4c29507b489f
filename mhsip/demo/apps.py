from django.apps import AppConfig


class DemoConfig(AppConfig):
    """`mhsip load_demo`: a fictional region with synthetic patients and use-of-force records,
    for trying mhsip out (`make run` loads it into an empty database)."""

    name = "mhsip.demo"
    verbose_name = "Demonstration data"
