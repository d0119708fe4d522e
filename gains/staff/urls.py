from django.urls import path

from gains.staff import views

app_name = "gains_staff"

urlpatterns = [
    path("project/<id:pk>/", views.PlanView.as_view(), name="plan"),
    path("project/<id:pk>/export/<slug:fmt>/", views.export_plan, name="export"),
    path("<id:pk>/", views.GainView.as_view(), name="gain"),
    path("<id:pk>/<slug:action>/", views.GainActionView.as_view(), name="action"),
]
