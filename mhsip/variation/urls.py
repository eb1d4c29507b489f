from django.urls import path

from mhsip.variation import views

app_name = "variation"

PLACE = "<str:level>/<str:code>/"

urlpatterns = [
    path("", views.variation_index, name="index"),
    path(PLACE + "funnel/", views.funnel_plot, name="funnel"),
    path(PLACE + "bright-spots/", views.bright_spots, name="bright-spots"),
    path(PLACE + "recording/", views.data_quality, name="data-quality"),
    path(PLACE + "inequalities/", views.inequalities, name="inequalities"),
]
