from django.urls import path

from mhsip.authorization import views

app_name = "authorization"

urlpatterns = [
    path("", views.access_matrix, name="access-matrix"),
    path("me/", views.my_access, name="my-access"),
]
