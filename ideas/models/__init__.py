"""The ideas app's models, one module per part of the domain.

Import them from here (`from ideas.models import Idea`): the modules are how the code is
organised, not an interface. Migrations also name `ideas.models.attachment_upload_to`.
"""

from ideas.models.attachments import (
    ATTACHMENT_CONTENT_TYPES,
    AttachmentKind,
    IdeaAttachment,
    attachment_upload_to,
)
from ideas.models.comments import CommentRevision
from ideas.models.events import IdeaEvent
from ideas.models.ideas import (
    COUNTED_FIELDS,
    PUBLIC_Q,
    PUBLIC_STATUSES,
    VOTING_STATUSES,
    Idea,
    IdeaKind,
    IdeaQuerySet,
    IdeaStatus,
    IdeaTag,
    IdeaWritesQuerySet,
    ReferenceCounter,
    TaggedIdea,
)
from ideas.models.participation import Follow, Vote
from ideas.models.routing import RoutingRule

__all__ = [
    "ATTACHMENT_CONTENT_TYPES",
    "COUNTED_FIELDS",
    "PUBLIC_Q",
    "PUBLIC_STATUSES",
    "VOTING_STATUSES",
    "AttachmentKind",
    "CommentRevision",
    "Follow",
    "Idea",
    "IdeaAttachment",
    "IdeaEvent",
    "IdeaKind",
    "IdeaQuerySet",
    "IdeaStatus",
    "IdeaTag",
    "IdeaWritesQuerySet",
    "ReferenceCounter",
    "RoutingRule",
    "TaggedIdea",
    "Vote",
    "attachment_upload_to",
]
