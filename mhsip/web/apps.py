from django.apps import AppConfig


class WebConfig(AppConfig):
    """Pages people see: the NHS.UK-styled home page, and the health check."""

    name = "mhsip.web"
    label = "web"
    verbose_name = "Web pages"
