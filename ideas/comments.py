"""Comments on ideas: the policy (a django-comments-xtd moderator) and the reads.

Writes go through `ideas.comment_services`. The policy lives here so the services, the
views, the templates and django-comments-xtd's own signal path all ask the same object.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django_comments.models import CommentFlag
from django_comments.moderation import AlreadyModerated
from django_comments_xtd.models import TmpXtdComment, XtdComment
from django_comments_xtd.moderation import XtdCommentModerator, moderator

from ideas.markdown import render_markdown
from ideas.models import Idea, IdeaStatus
from ideas.permissions import AnyUser, can_moderate_comments
from portal.models import Unit

# Once an idea has reached one of these, the conversation is over; what was said stays.
CONCLUDED_STATUSES = (
    IdeaStatus.IMPLEMENTED,
    IdeaStatus.REJECTED,
    IdeaStatus.MERGED,
    IdeaStatus.WITHDRAWN,
)


class IdeaCommentModerator(XtdCommentModerator):
    """Who may comment on an idea, and when.

    Comments are published at once (no pre-moderation); staff hide them afterwards.
    """

    email_notification = False
    enable_field = None
    auto_close_field = None
    auto_moderate_field = None

    @staticmethod
    def comments_open(idea: Idea) -> bool:
        return idea.status not in CONCLUDED_STATUSES and not idea.is_hidden

    @staticmethod
    def closed_message(idea: Idea) -> str:
        """Why nobody can comment any more, in words for the idea page."""
        if idea.is_hidden:
            return _("Comments are closed because this idea has been hidden.")
        if idea.status == IdeaStatus.IMPLEMENTED:
            return _("This idea has been put into use, so comments are closed.")
        if idea.status == IdeaStatus.REJECTED:
            return _("This idea will not be taken forward, so comments are closed.")
        if idea.status == IdeaStatus.MERGED:
            return _("This idea has been merged with another idea. Comment there instead.")
        return _("The author has withdrawn this idea, so comments are closed.")

    def can_post(self, user: AnyUser, idea: Idea) -> bool:
        return bool(user.is_authenticated and user.is_active and self.comments_open(idea))

    def can_flag(self, user: AnyUser, comment: XtdComment) -> bool:
        return bool(user.is_authenticated and user.is_active and comment.user_id != user.pk)

    def can_hide(self, user: AnyUser) -> bool:
        return can_moderate_comments(user)

    def allow(self, comment, content_object, request) -> bool:
        # django-comments-xtd's generic post view builds a TmpXtdComment and would save
        # it without our service: no comment count, no reply e-mail, no rate limit. Only
        # `ideas.comment_services.comment_post` may create comments on ideas.
        if isinstance(comment, TmpXtdComment):
            return False
        return self.can_post(comment.user, content_object)

    def moderate(self, comment, content_object, request) -> bool:
        return False


def _register() -> IdeaCommentModerator:
    with contextlib.suppress(AlreadyModerated):
        moderator.register(Idea, IdeaCommentModerator)
    return moderator._registry[Idea]


comment_policy: IdeaCommentModerator = _register()


# --- Reads -----------------------------------------------------------------------------


def idea_content_type() -> ContentType:
    return ContentType.objects.get_for_model(Idea)  # cached by ContentType's manager


def comments_of(idea: Idea) -> QuerySet[XtdComment]:
    """Every comment on the idea, hidden or not, in thread order."""
    return XtdComment.objects.filter(
        content_type=idea_content_type(), object_pk=str(idea.pk)
    ).order_by("thread_id", "order")


def visible_comments_of(idea: Idea) -> QuerySet[XtdComment]:
    """What the public sees: public comments whose thread's first comment is public too.

    A reply without the comment it answers makes no sense, so hiding a comment hides
    its replies from the public as well (and from the count) without touching them.
    """
    all_comments = comments_of(idea)
    hidden_roots = all_comments.filter(level=0).filter(Q(is_public=False) | Q(is_removed=True))
    return all_comments.filter(is_public=True, is_removed=False).exclude(
        thread_id__in=hidden_roots.values("pk")
    )


def visible_comment_count(idea: Idea) -> int:
    return visible_comments_of(idea).count()


@dataclass
class CommentNode:
    comment: XtdComment
    replies: list[XtdComment] = field(default_factory=list)


def comment_thread(idea: Idea, user: AnyUser) -> list[CommentNode]:
    """The comments to show `user` on the idea page, as first comments with replies.

    One query whatever the number of comments (plus, once per request, the user's units
    for the moderator check): authorship by staff of the owning unit, the flag count and
    whether this user flagged are annotations. Moderators also see hidden comments, so
    they can show them again.
    """
    is_moderator = comment_policy.can_hide(user)
    queryset = comments_of(idea) if is_moderator else visible_comments_of(idea)
    if idea.owning_unit_id is not None:
        municipality = Exists(
            Unit.staff.through.objects.filter(
                unit_id=idea.owning_unit_id, unit__is_active=True, user_id=OuterRef("user_id")
            )
        )
    else:
        municipality = Value(False, output_field=BooleanField())
    queryset = queryset.annotate(is_municipality_answer=municipality)
    removal_flags = CommentFlag.objects.filter(
        comment_id=OuterRef("pk"), flag=CommentFlag.SUGGEST_REMOVAL
    )
    if user.is_authenticated:
        queryset = queryset.annotate(flagged_by_me=Exists(removal_flags.filter(user_id=user.pk)))
    if is_moderator:
        flag_count = (
            removal_flags.order_by().values("comment_id").annotate(n=Count("pk")).values("n")
        )
        queryset = queryset.annotate(
            flag_count=Coalesce(Subquery(flag_count, output_field=IntegerField()), 0)
        )

    nodes: list[CommentNode] = []
    by_thread: dict[int, CommentNode] = {}
    for comment in queryset:
        comment.rendered = render_markdown(comment.comment)
        comment.is_hidden = not comment.is_public or comment.is_removed
        if comment.level == 0:
            node = CommentNode(comment=comment)
            by_thread[comment.thread_id] = node
            nodes.append(node)
        elif comment.thread_id in by_thread:
            by_thread[comment.thread_id].replies.append(comment)
    return nodes
