from django.urls import include, path

from ideas.views import authoring, detail, lists, participation

app_name = "ideas"

urlpatterns = [
    path("", lists.idea_list, name="list"),
    path("new/", authoring.idea_submit_view, name="submit"),
    path("new/similar/", authoring.similar_ideas, name="similar"),
    path("tags/suggest/", authoring.tag_suggestions, name="tag_suggestions"),
    path("mine/", lists.my_page, name="mine"),
    path(
        "challenge/<id:challenge_id>/follow/",
        participation.follow_challenge,
        name="follow_challenge",
    ),
    path("<str:reference>/", detail.idea_detail, name="detail"),
    path("<str:reference>/edit/", authoring.idea_edit, name="edit"),
    path("<str:reference>/withdraw/", authoring.idea_withdraw, name="withdraw"),
    path("<str:reference>/vote/", participation.idea_vote, name="vote"),
    path("<str:reference>/follow/", participation.idea_follow, name="follow"),
    path(
        "<str:reference>/attachments/<int:attachment_id>/<str:filename>",
        detail.attachment_download,
        name="attachment",
    ),
    path("", include("ideas.comment_urls")),
]
