from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("mhsip.web.urls")),
    path("admin/", admin.site.urls),
]
