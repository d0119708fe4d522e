from django.urls import include, path

from ideas import views

app_name = "ideas"

urlpatterns = [
    path("", views.idea_list, name="list"),
    path("new/", views.idea_submit_view, name="submit"),
    path("new/similar/", views.similar_ideas, name="similar"),
    path("tags/suggest/", views.tag_suggestions, name="tag_suggestions"),
    path("mine/", views.my_page, name="mine"),
    path("challenge/<id:challenge_id>/follow/", views.follow_challenge, name="follow_challenge"),
    path("<str:reference>/", views.idea_detail, name="detail"),
    path("<str:reference>/edit/", views.idea_edit, name="edit"),
    path("<str:reference>/withdraw/", views.idea_withdraw, name="withdraw"),
    path("<str:reference>/vote/", views.idea_vote, name="vote"),
    path("<str:reference>/follow/", views.idea_follow, name="follow"),
    path(
        "<str:reference>/attachments/<int:attachment_id>/<str:filename>",
        views.attachment_download,
        name="attachment",
    ),
    path("", include("ideas.comment_urls")),
]
