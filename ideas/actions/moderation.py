"""Hiding an idea from the public, whatever its status, and showing it again."""

from __future__ import annotations

from django.utils.translation import gettext as _

from ideas.actions.base import IdeaAction, WorkflowError
from ideas.models import Idea, IdeaEvent
from portal import invalidation
from portal.models import User


class HideAction(IdeaAction[Idea]):
    """Hide the idea from the public, whatever its status, telling its author why.

    Preconditions, checked under a row lock: `by` may act on the idea (staff of the
    owning unit, or an admin); the idea is not hidden already; a reason is given. The
    reason is kept on the idea, where its author (who can still open the page) reads
    it, and in an internal HIDDEN event. The status is left alone, so `idea_unhide`
    restores the idea exactly. On commit the idea leaves the search index and the
    author gets the reason by e-mail.
    """

    def __init__(self, idea: Idea, *, by: User, reason: str) -> None:
        super().__init__(idea, by=by)
        self.reason = (reason or "").strip()

    def check(self) -> None:
        super().check()
        if self.locked.is_hidden:
            raise WorkflowError(
                _("Idea %(reference)s is already hidden.") % {"reference": self.locked.reference}
            )
        if not self.reason:
            raise WorkflowError(_("Give a reason for hiding the idea: its author will see it."))

    def perform(self) -> None:
        self.locked.is_hidden = True
        self.locked.hidden_reason = self.reason
        self.locked.save(update_fields=["is_hidden", "hidden_reason", "updated_at"])

    def record(self) -> None:
        # Internal: once the idea is shown again, the public timeline must not say why
        # it was hidden. The author reads the reason on the page and in the e-mail.
        self.event = self.record_event(
            kind=IdeaEvent.Kind.HIDDEN, is_internal=True, data={"reason": self.reason}
        )

    def side_effects(self) -> None:
        self.notify_author(template="ideas/emails/idea_hidden", context={"event": self.event})
        invalidation.reindex(self.locked)


class UnhideAction(IdeaAction[Idea]):
    """Show a hidden idea again, as it was before it was hidden.

    Preconditions, checked under a row lock: `by` may act on the idea; it is hidden.
    The reason is optional; the author gets it by e-mail on commit, and the idea is
    indexed for search again.
    """

    def __init__(self, idea: Idea, *, by: User, reason: str = "") -> None:
        super().__init__(idea, by=by)
        self.reason = (reason or "").strip()

    def check(self) -> None:
        super().check()
        if not self.locked.is_hidden:
            raise WorkflowError(
                _("Idea %(reference)s is not hidden.") % {"reference": self.locked.reference}
            )

    def perform(self) -> None:
        self.locked.is_hidden = False
        self.locked.hidden_reason = ""
        self.locked.save(update_fields=["is_hidden", "hidden_reason", "updated_at"])

    def record(self) -> None:
        self.event = self.record_event(
            kind=IdeaEvent.Kind.SHOWN, is_internal=True, data={"reason": self.reason}
        )

    def side_effects(self) -> None:
        self.notify_author(template="ideas/emails/idea_shown", context={"event": self.event})
        invalidation.reindex(self.locked)


def idea_hide(*, idea: Idea, by: User, reason: str) -> Idea:
    """Hide the idea from the public (see `HideAction`)."""
    return HideAction(idea, by=by, reason=reason).execute()


def idea_unhide(*, idea: Idea, by: User, reason: str = "") -> Idea:
    """Show a hidden idea again (see `UnhideAction`)."""
    return UnhideAction(idea, by=by, reason=reason).execute()
