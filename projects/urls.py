from django.urls import path

from projects import views

app_name = "projects"

urlpatterns = [
    path("<slug:slug>/", views.project_detail, name="detail"),
    path("<slug:slug>/documents/<id:document_id>/", views.document_download, name="document"),
]
