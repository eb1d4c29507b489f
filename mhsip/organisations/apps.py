from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "mhsip.organisations"
    verbose_name = "Organisations and wards"
