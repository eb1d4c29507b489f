from django.urls import path

from mhsip.dashboards import views

app_name = "dashboards"

MEASURE = "<str:level>/<str:code>/<str:measure>/"

urlpatterns = [
    path("", views.dashboard_index, name="index"),
    path("ward/<str:code>/aim/", views.ward_aim_edit, name="ward-aim"),
    path("ward/<str:code>/team-values/", views.team_values, name="team-values"),
    path("<str:level>/<str:code>/", views.dashboard_summary, name="summary"),
    path(MEASURE, views.measure_detail, name="measure"),
    path(MEASURE + "chart.svg", views.measure_download, {"fmt": "svg"}, name="chart-svg"),
    path(MEASURE + "chart.png", views.measure_download, {"fmt": "png"}, name="chart-png"),
    path(MEASURE + "data.csv", views.measure_download, {"fmt": "csv"}, name="data-csv"),
]
