from django.urls import path

from mhsip.champions import views

app_name = "champions"

urlpatterns = [
    path("", views.alert_list, name="alerts"),
    path("following/", views.following, name="following"),
    path("follow/", views.follow_change, {"following": True}, name="follow"),
    path("unfollow/", views.follow_change, {"following": False}, name="unfollow"),
    path("alerts/<int:pk>/acknowledge/", views.alert_acknowledge, name="acknowledge"),
]
