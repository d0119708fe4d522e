"""Template helpers for the public status block and the triage workspace."""

from __future__ import annotations

from collections.abc import Iterable

from django import template

from ideas.models import IdeaEvent, IdeaStatus

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


@register.filter
def headline_answer(events: Iterable[IdeaEvent], status: str) -> IdeaEvent | None:
    """The text shown in the box at the top of the public status block.

    For an idea that is put into use, that is the result given when it was put into use:
    it is what the idea came to, and a later answer (a thank-you, a follow-up) must not
    push it out of the headline. The later answers stay in the timeline below. For any
    other status it is the newest public answer or reason.
    """
    events = list(events)
    if status == IdeaStatus.IMPLEMENTED:
        result = None
        for event in events:
            if (
                event.kind == IdeaEvent.Kind.TRANSITION
                and event.to_status == IdeaStatus.IMPLEMENTED
                and event.public_text
                and not event.is_internal
            ):
                result = event
        if result is not None:
            return result
    return latest_answer(events)
