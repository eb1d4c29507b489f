from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("mhsip.web.urls")),
    path("", include("mhsip.organisations.urls")),
    path("", include("mhsip.incidents.urls")),
    path("", include("mhsip.patients.urls")),
    path("accounts/", include("mhsip.accounts.urls")),
    path("audit/", include("mhsip.auditing.urls")),
    path("access/", include("mhsip.authorization.urls")),
    path("dashboards/", include("mhsip.dashboards.urls")),
    path("variation/", include("mhsip.variation.urls")),
    path("improvement/", include("mhsip.improvement.urls")),
    path("imports/", include("mhsip.imports.urls")),
    path("extracts/", include("mhsip.extracts.urls")),
    path("reports/", include("mhsip.reports.urls")),
    path("api/", include("mhsip.api.urls")),
    path("network/", include("mhsip.network.urls")),
    path("champions/", include("mhsip.champions.urls")),
    path("national/", include("mhsip.national.urls")),
    path("admin/", admin.site.urls),
]
