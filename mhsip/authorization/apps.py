from django.apps import AppConfig


class AuthorizationConfig(AppConfig):
    """No models: installed for its templates (the access matrix and "My access")."""

    name = "mhsip.authorization"
    verbose_name = "Who may see and do what"
