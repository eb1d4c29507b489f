from django.apps import AppConfig


class ExtractsConfig(AppConfig):
    name = "mhsip.extracts"
    verbose_name = "MHSDS extracts"

    def ready(self) -> None:
        from mhsip.dashboards.presenters import EXTRA_DATA_VERSIONS
        from mhsip.extracts.queries import submissions_version

        if submissions_version not in EXTRA_DATA_VERSIONS:
            EXTRA_DATA_VERSIONS.append(submissions_version)
