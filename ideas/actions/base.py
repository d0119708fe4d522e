"""What every staff action on an idea shares: its errors, its lock, the audit log, and
the right to act (staff of the owning unit, or an admin; see `ideas.permissions`)."""

from __future__ import annotations

from typing import Any, TypeVar

from django.utils.translation import gettext as _

from ideas import permissions
from ideas.events import record_event
from ideas.models import Idea, IdeaEvent, IdeaStatus
from portal.absolute_urls import base_url
from portal.actions import Action, ActionNotAllowed, ActionPermissionDenied
from portal.emails import queue_email
from portal.models import User

R = TypeVar("R")


class WorkflowError(ActionNotAllowed):
    """The requested change is not possible in the idea's current state."""


class TransitionError(WorkflowError):
    """The requested status change is not in the transition table, or lacks a reason."""


class TransitionPermissionDenied(ActionPermissionDenied):
    """The actor may not do this to this idea."""


def status_label(status: str) -> str:
    return str(IdeaStatus(status).label)


def joint_refusal(idea: Idea) -> str:
    """What a partner of a joint challenge is told when trying more than notes and answers."""
    return _(
        "Idea %(reference)s answers a joint challenge led by %(municipality)s: you can "
        "post internal notes and public answers, but only %(municipality)s’s staff change "
        "its status or handle it otherwise."
    ) % {"reference": idea.reference, "municipality": idea.municipality.name}


class IdeaAction(Action[Idea, R]):
    """An action on one idea, by staff who may act on it (`check()` asks first)."""

    model = Idea
    lock_touch_field = "updated_at"
    lock_select_related = ("owning_unit", "author")
    permission_denied = TransitionPermissionDenied

    def __init__(self, idea: Idea, *, by: User) -> None:
        super().__init__(idea, by=by)
        self.event: IdeaEvent | None = None

    def check(self) -> None:
        self.require_act(self.locked)

    def require_act(self, idea: Idea) -> None:
        if permissions.can_act_on(self.by, idea):
            return
        if permissions.partner_municipality_id(self.by, idea) is not None:
            raise TransitionPermissionDenied(joint_refusal(idea))
        raise TransitionPermissionDenied(
            _("Only staff of %(unit)s may act on idea %(reference)s.")
            % {"unit": idea.owning_unit or _("the owning unit"), "reference": idea.reference}
        )

    def record_event(self, idea: Idea | None = None, **fields: Any) -> IdeaEvent:
        """Append an event by the person acting to `idea` (by default the locked one)."""
        return record_event(idea=idea or self.locked, actor=self.by, **fields)

    def notify_author(self, *, template: str, context: dict[str, Any]) -> None:
        """Tell the author alone (nobody else may see a hidden idea), unless they acted."""
        idea = self.locked
        if idea.author_id == self.by.pk or not idea.author.is_active:
            return
        queue_email(
            template=template,
            context={"idea": idea, "base_url": base_url(), **context},
            to=[idea.author.email],
        )
