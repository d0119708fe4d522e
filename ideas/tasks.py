"""Background tasks of the ideas app, and the functions that enqueue them on commit."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django_tasks import task

from ideas import notifications
from ideas.models import Idea


@task()
def notify_new_idea(*, idea_id: int, language: str) -> int:
    """Queue the e-mails about a newly submitted idea, in the submitter's language.

    Run after the submission committed, so finding the recipients (the unit's staff,
    the challenge's followers) costs the person submitting nothing. Returns how many
    e-mails were queued.
    """
    idea = (
        Idea.objects.select_related(
            "author", "organisation", "challenge", "owning_unit", "municipality"
        )
        .filter(pk=idea_id)
        .first()
    )
    if idea is None:
        return 0  # removed before the worker got to it
    with translation.override(language):
        return notifications.notify_new_idea(idea)


def queue_new_idea_notifications(idea: Idea) -> None:
    """On commit, have a task e-mail the unit and the challenge's followers (see
    `notify_new_idea`): one task whatever the number of recipients."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    transaction.on_commit(lambda: notify_new_idea.enqueue(idea_id=idea.pk, language=language))
