from django.urls import path

from solutions import views

app_name = "solutions"

urlpatterns = [
    path("", views.library, name="library"),
    path("<slug:slug>/", views.solution_detail, name="detail"),
]
