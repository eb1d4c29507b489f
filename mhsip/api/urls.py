from django.urls import path

from mhsip.api import views
from mhsip.api.v1 import api

app_name = "api"

urlpatterns = [
    path("tokens/", views.token_list, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token-revoke"),
    # The JSON API (Django Ninja), with its OpenAPI description at v1/openapi.json.
    path("v1/", api.urls),
]
