from django.apps import AppConfig


class AuditingConfig(AppConfig):
    name = "mhsip.auditing"
    verbose_name = "Audit log"
