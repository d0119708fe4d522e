from django.urls import path

from projects.staff import views

app_name = "projects_staff"

urlpatterns = [
    path("", views.ProjectListView.as_view(), name="list"),
    path("start/", views.StartProjectView.as_view(), name="start"),
    path("<id:pk>/", views.ProjectView.as_view(), name="project"),
    path("<id:pk>/<slug:action>/", views.ProjectActionView.as_view(), name="action"),
]
