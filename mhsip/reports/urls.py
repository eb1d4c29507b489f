from django.urls import path

from mhsip.reports import views

app_name = "reports"

BOARD = "board/<str:level>/<str:code>/"
STATISTICS = "use-of-force/<str:provider_code>/"
MEASURES = "measures/<str:level>/<str:code>/"

urlpatterns = [
    path("", views.reports_index, name="index"),
    path(BOARD, views.board_report, name="board"),
    path(BOARD + "report.pdf", views.board_report_pdf, name="board-pdf"),
    path(STATISTICS, views.use_of_force_statistics, name="statistics"),
    path(
        STATISTICS + "statistics.csv",
        views.use_of_force_statistics_download,
        {"fmt": "csv"},
        name="statistics-csv",
    ),
    path(
        STATISTICS + "statistics.pdf",
        views.use_of_force_statistics_download,
        {"fmt": "pdf"},
        name="statistics-pdf",
    ),
    path("downloads/", views.downloads, name="downloads"),
    path("downloads/records/", views.records_download, name="records-download"),
    path(MEASURES + "measures.csv", views.measures_download, {"fmt": "csv"}, name="measures-csv"),
    path(
        MEASURES + "measures.xlsx", views.measures_download, {"fmt": "xlsx"}, name="measures-xlsx"
    ),
]
