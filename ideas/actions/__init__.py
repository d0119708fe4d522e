"""Staff actions on ideas, one module per family, all through `portal.actions`' pipeline
(lock, check, write, audit event, e-mail and re-indexing on commit).

- `transitions`: the lifecycle's transition table and the status change
- `merging`: merging a duplicate into another idea, and undoing it
- `assignment`: rerouting to another unit, assigning a staff member
- `answers`: internal notes and the public answer
- `moderation`: hiding an idea from the public and showing it again
- `bulk`: one action on many ideas, for the triage queue

Callers use the action classes, or the `idea_<action>` service functions that build
and execute one.
"""

from ideas.actions.answers import AnswerAction, NoteAction, idea_add_note, idea_answer
from ideas.actions.assignment import AssignAction, RerouteAction, idea_assign, idea_reroute
from ideas.actions.base import (
    IdeaAction,
    TransitionError,
    TransitionPermissionDenied,
    WorkflowError,
    joint_refusal,
)
from ideas.actions.bulk import BULK_ACTIONS, BulkReport, BulkResult, ideas_bulk_apply
from ideas.actions.merging import MergeAction, UnmergeAction, idea_merge, idea_unmerge
from ideas.actions.moderation import HideAction, UnhideAction, idea_hide, idea_unhide
from ideas.actions.transitions import (
    MERGE_SOURCES,
    TRANSITIONS,
    Actor,
    Transition,
    TransitionAction,
    allowed_targets,
    idea_transition,
    transition_for,
)

__all__ = [
    "BULK_ACTIONS",
    "MERGE_SOURCES",
    "TRANSITIONS",
    "Actor",
    "AnswerAction",
    "AssignAction",
    "BulkReport",
    "BulkResult",
    "HideAction",
    "IdeaAction",
    "MergeAction",
    "NoteAction",
    "RerouteAction",
    "Transition",
    "TransitionAction",
    "TransitionError",
    "TransitionPermissionDenied",
    "UnhideAction",
    "UnmergeAction",
    "WorkflowError",
    "allowed_targets",
    "idea_add_note",
    "idea_answer",
    "idea_assign",
    "idea_hide",
    "idea_merge",
    "idea_reroute",
    "idea_transition",
    "idea_unhide",
    "idea_unmerge",
    "ideas_bulk_apply",
    "joint_refusal",
    "transition_for",
]
