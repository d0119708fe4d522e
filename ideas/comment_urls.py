"""Comment URLs, included from ideas/urls.py under the "ideas" namespace."""

from django.urls import path

from ideas import comment_views

urlpatterns = [
    path("<str:reference>/comments/", comment_views.comment_post, name="comment_post"),
    path("comments/<id:comment_id>/reply/", comment_views.comment_reply, name="comment_reply"),
    path("comments/<id:comment_id>/flag/", comment_views.comment_flag, name="comment_flag"),
    path("comments/<id:comment_id>/hide/", comment_views.comment_hide, name="comment_hide"),
    path("comments/<id:comment_id>/show/", comment_views.comment_show, name="comment_show"),
    path("comments/<id:comment_id>/edit/", comment_views.comment_edit, name="comment_edit"),
    path("comments/<id:comment_id>/delete/", comment_views.comment_delete, name="comment_delete"),
]
