from django.urls import path

from mhsip.patients import views

app_name = "patients"

urlpatterns = [
    path("wards/<str:code>/patients/", views.ward_patients, name="ward-patients"),
    path("wards/<str:code>/patients/admit/", views.admit, name="admit"),
    path("wards/<str:code>/patients/<int:pk>/leave/", views.stay_end, name="stay-end"),
    path("wards/<str:code>/bed-days/", views.bed_days, name="bed-days"),
]
