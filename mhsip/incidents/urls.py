from django.urls import path

from mhsip.incidents import views

app_name = "incidents"

urlpatterns = [
    path("wards/<str:code>/use-of-force/new/", views.record_patient, name="record-patient"),
    path("wards/<str:code>/use-of-force/new/record/", views.record_create, name="record-create"),
    path("use-of-force/<int:pk>/", views.record_detail, name="record-detail"),
    path("use-of-force/<int:pk>/edit/", views.record_edit, name="record-edit"),
]
