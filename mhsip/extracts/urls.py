from django.urls import path

from mhsip.extracts import views

app_name = "extracts"

urlpatterns = [
    path("mhsds/", views.extract_import, name="import"),
    path("mhsds/<int:pk>/", views.import_detail, name="import-detail"),
    path("mhsds/export/", views.extract_export, name="export"),
]
