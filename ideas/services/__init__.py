"""Writes for the citizen and business side of ideas: submit, edit, vote, follow.

Status changes (withdrawing included) go through `ideas.actions.idea_transition`, which
is named here too so that a caller finds every write of an idea in one place. Import from
here (`from ideas import services`); the modules are how the code is organised.
"""

from ideas.actions import idea_transition
from ideas.services.attachments import (
    IMAGE_EXTENSIONS,
    MAX_ATTACHMENT_BYTES,
    MAX_ATTACHMENTS,
    AttachmentUpload,
    attachment_kind,
    attachment_strip_metadata,
    validate_attachments,
)
from ideas.services.participation import (
    OwnIdea,
    VotingClosed,
    follow_challenge,
    follow_idea,
    unfollow_challenge,
    unfollow_idea,
    vote_cast,
    vote_withdraw,
)
from ideas.services.submission import idea_edit, idea_submit

__all__ = [
    "IMAGE_EXTENSIONS",
    "MAX_ATTACHMENTS",
    "MAX_ATTACHMENT_BYTES",
    "AttachmentUpload",
    "OwnIdea",
    "VotingClosed",
    "attachment_kind",
    "attachment_strip_metadata",
    "follow_challenge",
    "follow_idea",
    "idea_edit",
    "idea_submit",
    "idea_transition",
    "unfollow_challenge",
    "unfollow_idea",
    "validate_attachments",
    "vote_cast",
    "vote_withdraw",
]
