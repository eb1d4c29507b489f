from django.urls import path

from mhsip.organisations import views

app_name = "organisations"

urlpatterns = [
    path("wards/<str:code>/", views.ward_detail, name="ward-detail"),
]
