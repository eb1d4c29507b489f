from django.urls import path

from mhsip.national import views

app_name = "national"

urlpatterns = [
    path("", views.benchmark, name="benchmark"),
    path("import/", views.import_files, name="import"),
    path("providers/", views.providers, name="providers"),
]
