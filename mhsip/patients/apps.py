from django.apps import AppConfig


class PatientsConfig(AppConfig):
    name = "mhsip.patients"
    verbose_name = "Patients and ward stays"
