from django.urls import path

from solutions.staff import views

app_name = "solutions_staff"

urlpatterns = [
    path("", views.SolutionListView.as_view(), name="list"),
    path("new/", views.CreateSolutionView.as_view(), name="create"),
    path("<id:pk>/", views.SolutionView.as_view(), name="solution"),
    path("<id:pk>/adopt/", views.AdoptView.as_view(), name="adopt"),
    path("<id:pk>/<slug:action>/", views.SolutionPostView.as_view(), name="post"),
]
