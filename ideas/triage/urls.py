from django.urls import path

from ideas.triage import views

app_name = "ideas_triage"

urlpatterns = [
    path("", views.QueueView.as_view(), name="queue"),
    path("bulk/", views.BulkView.as_view(), name="bulk"),
    path("bulk/result/", views.BulkResultView.as_view(), name="bulk_result"),
    path("rules/test/", views.RuleTestView.as_view(), name="rule_test"),
    path("<id:pk>/", views.IdeaWorkspaceView.as_view(), name="idea"),
    path("<id:pk>/<slug:action>/", views.IdeaActionView.as_view(), name="action"),
]
