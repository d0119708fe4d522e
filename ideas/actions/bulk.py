"""One action on many ideas: the triage queue's bulk actions.

Each idea goes through the same action object as a single change, in its own
transaction (`portal.actions.execute_each`): one idea refused does not stop or undo
the others, and the report says, per idea, what succeeded and why the rest did not.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ideas.actions.answers import AnswerAction, NoteAction
from ideas.actions.assignment import AssignAction, RerouteAction
from ideas.actions.base import IdeaAction
from ideas.actions.merging import MergeAction, UnmergeAction
from ideas.actions.moderation import HideAction, UnhideAction
from ideas.actions.transitions import TransitionAction
from ideas.models import Idea
from portal.actions import execute_each, refusal_message
from portal.models import User

# Bulk action name -> action class; the parameters are the class's keyword arguments.
BULK_ACTIONS: dict[str, type[IdeaAction[Any]]] = {
    "transition": TransitionAction,
    "reroute": RerouteAction,
    "assign": AssignAction,
    "note": NoteAction,
    "answer": AnswerAction,
    "merge": MergeAction,
    "unmerge": UnmergeAction,
    "hide": HideAction,
    "unhide": UnhideAction,
}


@dataclass
class BulkResult:
    idea: Idea
    ok: bool
    message: str = ""


@dataclass
class BulkReport:
    results: list[BulkResult] = field(default_factory=list)

    @property
    def succeeded(self) -> list[BulkResult]:
        return [r for r in self.results if r.ok]

    @property
    def failed(self) -> list[BulkResult]:
        return [r for r in self.results if not r.ok]


def ideas_bulk_apply(*, ideas: Iterable[Idea], action: str, by: User, **params: Any) -> BulkReport:
    """Apply the action named `action` to each idea, with `params` as its arguments."""
    action_class = BULK_ACTIONS.get(action)
    if action_class is None:
        raise ValueError(f"Unknown bulk action: {action}")
    actions = (action_class(idea, by=by, **params) for idea in ideas)
    report = BulkReport()
    for done, refused in execute_each(actions):
        message = refusal_message(refused) if refused is not None else ""
        report.results.append(BulkResult(idea=done.target, ok=refused is None, message=message))
    return report
