"""Background tasks of the ideas app. Enqueue them on transaction commit."""

from __future__ import annotations

from django.utils import translation
from django_tasks import task


@task()
def notify_new_idea(*, idea_id: int, language: str) -> int:
    """Queue the e-mails about a newly submitted idea, in the submitter's language.

    Run after the submission committed, so finding the recipients (the unit's staff,
    the challenge's followers) costs the person submitting nothing. Returns how many
    e-mails were queued.
    """
    from ideas.models import Idea
    from ideas.notifications import notify_new_idea as notify

    idea = (
        Idea.objects.select_related("author", "organisation", "challenge", "owning_unit")
        .filter(pk=idea_id)
        .first()
    )
    if idea is None:
        return 0  # removed before the worker got to it
    with translation.override(language):
        return notify(idea)
