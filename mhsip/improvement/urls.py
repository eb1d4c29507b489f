from django.urls import path

from mhsip.improvement import views

app_name = "improvement"

urlpatterns = [
    path("", views.improvement_index, name="index"),
    path("coach/", views.coach, name="coach"),
    path("ideas/", views.idea_list, name="idea-list"),
    path("ideas/<int:pk>/", views.idea_detail, name="idea-detail"),
    path("wards/<str:code>/", views.ward_improvement, name="ward"),
    path("wards/<str:code>/ideas/new/", views.idea_create, name="idea-create"),
    path("wards/<str:code>/projects/new/", views.project_create, name="project-create"),
    path("wards/<str:code>/co-design/", views.codesign, name="codesign"),
    path("wards/<str:code>/share-link/", views.share_link, name="share-link"),
    path("co-design/<int:pk>/", views.post_detail, name="post-detail"),
    path("co-design/<int:pk>/change-idea/", views.post_adopt, name="post-adopt"),
    path("projects/<int:pk>/", views.project_detail, name="project"),
    path("projects/<int:pk>/aim/", views.project_aim, name="project-aim"),
    path("projects/<int:pk>/team/", views.project_team, name="project-team"),
    path("projects/<int:pk>/driver-diagram/", views.project_drivers, name="project-drivers"),
    path("projects/<int:pk>/measures/", views.project_measures, name="project-measures"),
    path("projects/<int:pk>/cycles/new/", views.cycle_create, name="cycle-create"),
    path("cycles/<int:pk>/", views.cycle_detail, name="cycle"),
    path("cycles/<int:pk>/plan/", views.cycle_plan_edit, name="cycle-plan"),
    path("cycles/<int:pk>/do/", views.cycle_do, name="cycle-do"),
    path("cycles/<int:pk>/study/", views.cycle_study, name="cycle-study"),
    path("cycles/<int:pk>/act/", views.cycle_act, name="cycle-act"),
    path("changes/<int:pk>/did-it-work/", views.change_did_it_work, name="did-it-work"),
    # The public page behind a ward's share-an-idea link or QR code: no account needed.
    path("share/<str:token>/", views.share_idea, name="share-idea"),
]
