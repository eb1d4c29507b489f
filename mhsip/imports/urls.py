from django.urls import path

from mhsip.imports import views

app_name = "imports"

urlpatterns = [
    path("", views.import_history, name="history"),
    path("runs/<int:pk>/", views.import_run, name="run"),
    path("incidents/", views.incidents_upload, name="incidents-upload"),
    path("incidents/files/<int:pk>/columns/", views.incident_columns, name="incident-columns"),
    path("incidents/files/<int:pk>/codes/", views.incident_values, name="incident-values"),
    path("bed-days/", views.bed_days_upload, name="bed-days-upload"),
]
