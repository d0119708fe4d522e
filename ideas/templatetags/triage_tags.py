"""Template helpers for the public status block and the triage workspace."""

from __future__ import annotations

from collections.abc import Iterable

from django import template

from ideas.models import IdeaEvent

register = template.Library()

ANSWER_KINDS = (IdeaEvent.Kind.ANSWER, IdeaEvent.Kind.TRANSITION)


@register.filter
def latest_answer(events: Iterable[IdeaEvent]) -> IdeaEvent | None:
    """The newest public answer, reason or result among already loaded public events."""
    latest = None
    for event in events:
        if event.kind in ANSWER_KINDS and event.public_text and not event.is_internal:
            latest = event
    return latest
