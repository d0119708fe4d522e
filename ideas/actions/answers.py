"""What staff write on an idea: internal notes, and the municipality's public answer."""

from __future__ import annotations

from typing import cast

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ideas import permissions
from ideas.actions.base import IdeaAction, WorkflowError, status_label
from ideas.models import PUBLIC_STATUSES, Idea, IdeaEvent
from ideas.notifications import notify_idea_audience
from portal import invalidation
from portal.absolute_urls import base_url
from portal.models import User


class _TextAction(IdeaAction[IdeaEvent]):
    """An action whose substance is a text that must not be empty; returns its event."""

    empty_message: Promise

    def __init__(self, idea: Idea, *, by: User, text: str) -> None:
        super().__init__(idea, by=by)
        self.text = (text or "").strip()

    def clean(self) -> None:
        super().clean()
        if not self.text:
            raise WorkflowError(str(self.empty_message))

    def check(self) -> None:
        # Partners of a joint challenge write too, not only those who act on the idea.
        if not permissions.can_contribute(self.by, self.locked):
            self.require_act(self.locked)

    def record_text_event(self, **fields) -> IdeaEvent:
        """Record the text, marked with the municipality it is written for."""
        return self.record_event(
            municipality_id=permissions.writing_for(self.by, self.locked), **fields
        )

    def result(self) -> IdeaEvent:
        return cast(IdeaEvent, self.event)  # recorded by `execute()` before it returns


class NoteAction(_TextAction):
    """Add an internal note (staff only, never public). Preconditions: `by` may act, or
    is staff of a partner municipality of the idea's joint challenge."""

    empty_message = gettext_lazy("The note is empty.")
    updates_caller = False  # nothing on the idea changes

    def record(self) -> None:
        self.event = self.record_text_event(
            kind=IdeaEvent.Kind.NOTE, internal_note=self.text, is_internal=True
        )


class AnswerAction(_TextAction):
    """Post the municipality's public answer on the idea.

    Preconditions: `by` may act on the idea, or is staff of a partner municipality of
    its joint challenge; the idea is public (not withdrawn or merged).
    The author and followers get the answer by e-mail on commit.
    """

    empty_message = gettext_lazy("The answer is empty.")

    def check(self) -> None:
        super().check()
        idea = self.locked
        if idea.status not in PUBLIC_STATUSES:
            raise WorkflowError(
                _("Idea %(reference)s is “%(status)s” and cannot be answered.")
                % {"reference": idea.reference, "status": status_label(idea.status)}
            )

    def record(self) -> None:
        self.event = self.record_text_event(kind=IdeaEvent.Kind.ANSWER, public_text=self.text)

    def side_effects(self) -> None:
        notify_idea_audience(
            self.locked,
            template="ideas/emails/answer",
            context={"event": self.event, "base_url": base_url()},
            exclude=self.by,
        )
        invalidation.reindex(self.locked)


def idea_add_note(*, idea: Idea, by: User, text: str) -> IdeaEvent:
    """Add an internal note (see `NoteAction`)."""
    return NoteAction(idea, by=by, text=text).execute()


def idea_answer(*, idea: Idea, by: User, text: str) -> IdeaEvent:
    """Post the public answer (see `AnswerAction`); returns its event."""
    return AnswerAction(idea, by=by, text=text).execute()
