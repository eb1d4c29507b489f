from django.urls import path

from mhsip.auditing import views

app_name = "auditing"

urlpatterns = [
    path("", views.audit_log, name="audit-log"),
    path("download.csv", views.audit_log_download, name="audit-log-download"),
]
