"""The idea lifecycle as a state machine: the transition table and the status change.

Every change of an idea's status goes through `idea_transition`, except merging, which
needs a target idea (`ideas.actions.merging`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.utils import timezone
from django.utils.translation import gettext as _

from ideas import extensions, permissions
from ideas.actions.base import (
    IdeaAction,
    TransitionError,
    TransitionPermissionDenied,
    status_label,
)
from ideas.models import Idea, IdeaEvent, IdeaStatus
from ideas.notifications import notify_idea_audience
from portal import invalidation
from portal.absolute_urls import base_url
from portal.models import User

S = IdeaStatus


class Actor(StrEnum):
    """Who may perform a transition: staff of the owning unit (and admins), or the author."""

    STAFF = "staff"
    AUTHOR = "author"


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    actor: Actor
    # A public text is required: the reason for rejecting or reopening, the result of
    # an implemented idea. It is shown on the public idea page and sent in the e-mail.
    requires_public_text: bool = False
    # Merging moves votes and followers and needs a target idea: only `idea_merge` does it.
    via_merge: bool = False


TRANSITIONS: dict[tuple[str, str], Transition] = {
    (t.source, t.target): t
    for t in (
        Transition(S.SUBMITTED, S.IN_REVIEW, Actor.STAFF),
        Transition(S.IN_REVIEW, S.ACCEPTED, Actor.STAFF),
        Transition(S.ACCEPTED, S.IMPLEMENTED, Actor.STAFF, requires_public_text=True),
        Transition(S.SUBMITTED, S.REJECTED, Actor.STAFF, requires_public_text=True),
        Transition(S.IN_REVIEW, S.REJECTED, Actor.STAFF, requires_public_text=True),
        Transition(S.ACCEPTED, S.REJECTED, Actor.STAFF, requires_public_text=True),
        Transition(S.SUBMITTED, S.MERGED, Actor.STAFF, via_merge=True),
        Transition(S.IN_REVIEW, S.MERGED, Actor.STAFF, via_merge=True),
        Transition(S.SUBMITTED, S.WITHDRAWN, Actor.AUTHOR),
        Transition(S.REJECTED, S.IN_REVIEW, Actor.STAFF, requires_public_text=True),
    )
}

# Statuses from which a merge may be undone back to: exactly the merge sources.
MERGE_SOURCES = tuple(t.source for t in TRANSITIONS.values() if t.via_merge)


def transition_for(source: str, target: str) -> Transition | None:
    return TRANSITIONS.get((source, target))


def allowed_targets(idea: Idea, user: User | None = None) -> list[str]:
    """Statuses the idea may move to with `idea_transition`, for `user` if given."""
    return [
        target
        for (source, target), rule in TRANSITIONS.items()
        if source == idea.status
        and not rule.via_merge
        and (user is None or _may_perform(user, idea, rule))
    ]


def _may_perform(user: User, idea: Idea, rule: Transition) -> bool:
    if rule.actor == Actor.AUTHOR:
        return permissions.is_author(user, idea)
    return permissions.can_act_on(user, idea)


def set_status(idea: Idea, status: str, *, merged_into: Idea | None = None) -> None:
    """Write a new status on a locked idea; only actions in this package call it."""
    idea.status = status
    idea.merged_into = merged_into
    idea.status_changed_at = timezone.now()
    idea.save(update_fields=["status", "merged_into", "status_changed_at", "updated_at"])


class TransitionAction(IdeaAction[Idea]):
    """Move an idea to another status along the transition table.

    Preconditions, all checked under a row lock on the idea: (current status, `to`) is in
    `TRANSITIONS` and is not a merge (use `idea_merge`); `by` is staff of the owning unit
    or an admin (for the author's withdrawal: the author); a public reason is given where
    the table requires one. On commit the author and followers get an e-mail (except the
    person acting) and the idea is re-indexed.
    """

    def __init__(
        self, idea: Idea, *, by: User, to: str, public_reason: str = "", internal_note: str = ""
    ) -> None:
        super().__init__(idea, by=by)
        self.to = to
        self.public_reason = (public_reason or "").strip()
        self.internal_note = (internal_note or "").strip()
        self.source = idea.status

    def check(self) -> None:
        self.source = self.locked.status
        rule = self._rule()
        if not _may_perform(self.by, self.locked, rule):
            if rule.actor == Actor.AUTHOR:
                raise TransitionPermissionDenied(_("Only the author can withdraw an idea."))
            self.require_act(self.locked)
        if rule.requires_public_text and not self.public_reason:
            raise TransitionError(self._missing_text_message())

    def _rule(self) -> Transition:
        rule = transition_for(self.source, self.to)
        if rule is None and self.to not in IdeaStatus.values:
            raise TransitionError(_("Unknown status: %(status)s.") % {"status": self.to})
        if rule is None:
            raise TransitionError(
                _("Idea %(reference)s cannot go from “%(source)s” to “%(target)s”.")
                % {
                    "reference": self.locked.reference,
                    "source": status_label(self.source),
                    "target": status_label(self.to),
                }
            )
        if rule.via_merge:
            raise TransitionError(
                _("Merging needs the idea to merge into; use the merge action instead.")
            )
        return rule

    def _missing_text_message(self) -> str:
        if self.to == S.IMPLEMENTED:
            return _("Describe the result for the public before marking it as put into use.")
        return _("A public reason is required for this change.")

    def perform(self) -> None:
        set_status(self.locked, self.to)

    def record(self) -> None:
        self.event = self.record_event(
            kind=IdeaEvent.Kind.TRANSITION,
            from_status=self.source,
            to_status=self.to,
            public_text=self.public_reason,
            internal_note=self.internal_note,
        )

    def side_effects(self) -> None:
        notify_idea_audience(
            self.locked,
            template="ideas/emails/status_changed",
            context={
                "event": self.event,
                "from_label": status_label(self.source),
                "to_label": status_label(self.to),
                "base_url": base_url(),
            },
            exclude=self.by,
        )
        invalidation.reindex(self.locked)
        extensions.status_changed(self.locked, self.event)


def idea_transition(
    *,
    idea: Idea,
    to: str,
    by: User,
    public_reason: str = "",
    internal_note: str = "",
) -> Idea:
    """Move `idea` to status `to` (see `TransitionAction`). Raises `TransitionError` or
    `TransitionPermissionDenied` and changes nothing if it may not."""
    return TransitionAction(
        idea, by=by, to=to, public_reason=public_reason, internal_note=internal_note
    ).execute()
