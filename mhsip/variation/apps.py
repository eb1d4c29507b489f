from django.apps import AppConfig


class VariationConfig(AppConfig):
    """Comparing like with like: funnel plots, bright spots, recording checks, inequalities."""

    name = "mhsip.variation"
    verbose_name = "Variation and equality"
