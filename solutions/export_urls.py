"""The open-data export, at language-neutral addresses beside the library."""

from django.urls import path

from solutions import views

urlpatterns = [
    path("losninger.json", views.export_json, name="solutions_export_json"),
    path("losninger.csv", views.export_csv, name="solutions_export_csv"),
]
