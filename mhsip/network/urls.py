from django.urls import path

from mhsip.network import views

app_name = "network"

urlpatterns = [
    path("", views.network_index, name="index"),
    path("case-studies/start/<int:pk>/", views.case_study_start, name="case-study-start"),
    path("case-studies/<int:pk>/", views.case_study_detail, name="case-study"),
    path("case-studies/<int:pk>/edit/", views.case_study_edit, name="case-study-edit"),
    path("<str:code>/", views.network_home, name="home"),
    path("<str:code>/join/", views.join, name="join"),
    path("<str:code>/members/", views.members, name="members"),
    path("<str:code>/requests/", views.requests_list, name="requests"),
    path("<str:code>/requests/<int:pk>/", views.request_decide, name="request-decide"),
    path("<str:code>/library/", views.library, name="library"),
    path("<str:code>/what-worked-where/", views.what_worked_where, name="what-worked-where"),
]
