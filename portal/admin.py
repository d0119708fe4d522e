"""The Django admin (/django-admin/) keeps only what the Wagtail admin has no screen for.

The Wagtail admin is the one admin. Comments are moderated on the idea page and in
triage (through `ideas.comment_services`, which keep counts and the search index right)
and tags are edited in Wagtail (see `challenges.wagtail_hooks`, `ideas.wagtail_hooks`).
The Django admin's own comment and tag screens wrote around the services (e.g. "Remove
selected comments"), so they are taken out. What stays: the task queue
(django-tasks-db results, for operators), and Wagtail's and Django's own registrations.
Any write made there still reaches cached pages through portal.invalidation.
"""

# Imported first so that their registrations exist to be undone; the admin's
# autodiscovery imports them later and finds them already loaded.
import django_comments.admin  # noqa: F401
import django_comments_xtd.admin  # noqa: F401
import taggit.admin  # noqa: F401
from django.apps import apps
from django.contrib import admin

for model_label in (
    "taggit.Tag",
    "django_comments_xtd.XtdComment",
    "django_comments_xtd.BlackListedDomain",
    "django_comments.Comment",
    "django_comments.CommentFlag",
):
    model = apps.get_model(model_label)
    if admin.site.is_registered(model):
        admin.site.unregister(model)
