"""Who handles an idea: the owning unit (rerouting) and the staff member (assigning)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from ideas.actions.base import IdeaAction, WorkflowError
from ideas.models import Idea, IdeaEvent
from ideas.notifications import notify_unit
from portal import invalidation
from portal.absolute_urls import base_url
from portal.models import Unit, User


class RerouteAction(IdeaAction[Idea]):
    """Give the idea to another active unit.

    Preconditions: `by` may act on the idea (staff of the current owner, or admin);
    `to_unit` is active, of the idea's municipality (an idea never changes
    municipality, docs/regional.md) and not the current owner; a reason is given. The assignee is
    cleared (they belong to the old unit); the new unit is told by e-mail on commit.
    """

    def __init__(self, idea: Idea, *, by: User, to_unit: Unit, reason: str = "") -> None:
        super().__init__(idea, by=by)
        self.to_unit = to_unit
        self.reason = (reason or "").strip()
        self.old_unit: Unit | None = None

    def check(self) -> None:
        super().check()
        to_unit = self.to_unit
        if not to_unit.is_active:
            raise WorkflowError(_("%(unit)s is not an active unit.") % {"unit": to_unit})
        if to_unit.municipality_id != self.locked.municipality_id:
            raise WorkflowError(
                _(
                    "%(unit)s belongs to another municipality; idea %(reference)s can only "
                    "be sent to a unit of its own municipality."
                )
                % {"unit": to_unit, "reference": self.locked.reference}
            )
        if self.locked.owning_unit_id == to_unit.pk:
            raise WorkflowError(
                _("Idea %(reference)s already belongs to %(unit)s.")
                % {"reference": self.locked.reference, "unit": to_unit}
            )
        if not self.reason:
            raise WorkflowError(_("Give a reason, so the new unit knows why it gets the idea."))

    def perform(self) -> None:
        idea = self.locked
        self.old_unit = idea.owning_unit
        idea.owning_unit = self.to_unit
        idea.assignee = None
        idea.save(update_fields=["owning_unit", "assignee", "updated_at"])

    def record(self) -> None:
        old_unit = self.old_unit
        self.event = self.record_event(
            kind=IdeaEvent.Kind.REROUTED,
            internal_note=self.reason,
            is_internal=True,
            data={
                "from_unit": old_unit.pk if old_unit else None,
                "from_unit_name": old_unit.name if old_unit else "",
                "to_unit": self.to_unit.pk,
                "to_unit_name": self.to_unit.name,
            },
        )

    def side_effects(self) -> None:
        idea = self.locked
        notify_unit(
            self.to_unit,
            template="ideas/emails/rerouted",
            context={
                "idea": idea,
                "event": self.event,
                "from_unit": self.old_unit,
                "by": self.by,
                "triage_url": base_url() + reverse("ideas_triage:idea", args=[idea.pk]),
            },
        )
        invalidation.reindex(idea)


class AssignAction(IdeaAction[Idea]):
    """Set (or clear, with None) the staff member handling the idea.

    Preconditions: `by` may act on the idea; `assignee` is active staff of the owning
    unit. Internal: only staff see it. Assigning the person already assigned records
    nothing.
    """

    def __init__(self, idea: Idea, *, by: User, assignee: User | None) -> None:
        super().__init__(idea, by=by)
        self.assignee = assignee

    def check(self) -> None:
        super().check()
        idea, assignee = self.locked, self.assignee
        if assignee is not None and not (
            assignee.is_active
            and idea.owning_unit_id is not None
            and idea.owning_unit.staff.filter(pk=assignee.pk).exists()
        ):
            raise WorkflowError(
                _("%(person)s does not work in %(unit)s.")
                % {"person": assignee, "unit": idea.owning_unit}
            )

    def changes_anything(self) -> bool:
        return self.locked.assignee_id != (self.assignee.pk if self.assignee else None)

    def perform(self) -> None:
        self.previous = self.locked.assignee_id
        self.locked.assignee = self.assignee
        self.locked.save(update_fields=["assignee", "updated_at"])

    def record(self) -> None:
        assignee = self.assignee
        self.event = self.record_event(
            kind=IdeaEvent.Kind.ASSIGNED,
            is_internal=True,
            data={
                "from_user": self.previous,
                "to_user": assignee.pk if assignee else None,
                "to_user_name": str(assignee) if assignee else "",
            },
        )


def idea_reroute(*, idea: Idea, to_unit: Unit, by: User, reason: str = "") -> Idea:
    """Give the idea to another active unit (see `RerouteAction`)."""
    return RerouteAction(idea, by=by, to_unit=to_unit, reason=reason).execute()


def idea_assign(*, idea: Idea, assignee: User | None, by: User) -> Idea:
    """Set or clear the staff member handling the idea (see `AssignAction`)."""
    return AssignAction(idea, by=by, assignee=assignee).execute()
