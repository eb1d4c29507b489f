from django.apps import AppConfig


class ImprovementConfig(AppConfig):
    """Quality improvement: change ideas, co-design, projects, driver diagrams, PDSA cycles."""

    name = "mhsip.improvement"
    verbose_name = "Improvement"
