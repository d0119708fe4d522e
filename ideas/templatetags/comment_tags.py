"""Template tags for the comment thread on an idea page."""

from __future__ import annotations

from typing import Any

from django import template

from ideas.comment_forms import CommentForm
from ideas.comments import comment_policy, comment_thread

register = template.Library()


@register.simple_tag(takes_context=True)
def idea_comments(context: template.Context, idea) -> dict[str, Any]:
    """Everything the comments include needs, read with a constant number of queries."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    thread = comment_thread(idea, user)
    visible = sum(
        (not node.comment.is_hidden) + sum(1 for reply in node.replies if not reply.is_hidden)
        for node in thread
        if not node.comment.is_hidden
    )
    is_open = comment_policy.comments_open(idea)
    return {
        "thread": thread,
        "count": visible,
        "is_open": is_open,
        "closed_message": "" if is_open else comment_policy.closed_message(idea),
        "can_post": comment_policy.can_post(user, idea),
        "is_moderator": comment_policy.can_hide(user),
        "form": context.get("comment_form") or CommentForm(),
    }


@register.simple_tag(takes_context=True)
def reply_form_for(context: template.Context, comment) -> CommentForm:
    """The reply form under `comment`: the rejected one with its errors, else a new one."""
    bound = context.get("reply_form")
    if bound is not None and bound.parent_id == comment.pk:
        return bound
    return CommentForm(parent_id=comment.pk)
