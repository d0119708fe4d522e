"""Template tags for the comment thread on an idea page."""

from __future__ import annotations

from typing import Any

from django import template
from django.core.cache import caches
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from ideas.comment_forms import CommentEditForm, CommentForm
from ideas.comments import comment_section
from ideas.fragments import FRAGMENT_CACHE, FRAGMENT_TTL_SECONDS, content_digest

register = template.Library()


@register.simple_tag(takes_context=True)
def idea_comments(context: template.Context, idea) -> dict[str, Any]:
    """Everything the comments include needs (see `ideas.comments.comment_section`).

    The idea page reads it before rendering (`comment_section` in its context); pages
    that only show the section (htmx answers) have it read here.
    """
    section = context.get("comment_section")
    if section is not None:
        return section
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return comment_section(idea, user, form=context.get("comment_form"))


@register.simple_tag(takes_context=True)
def reply_form_for(context: template.Context, comment) -> CommentForm | None:
    """The rejected reply form under `comment`, with its errors; None for a new one."""
    bound = context.get("reply_form")
    if bound is not None and bound.parent_id == comment.pk:
        return bound
    return None


@register.simple_tag
def comment_form_fields(form: CommentForm | None, parent_id: int | None = None) -> SafeString:
    """The fields of a comment or reply form (ideas/comments/form_fields.html).

    A new form (`form` None or unbound) looks the same to everyone, the CSRF token
    staying outside, so it is rendered once per language and comment it answers; a form
    sent back with its errors is rendered every time.
    """
    if form is not None and form.is_bound:
        return render_to_string("ideas/comments/form_fields.html", {"form": form})
    parent_id = form.parent_id if form is not None else parent_id or None
    cache = caches[FRAGMENT_CACHE]
    key = "comment-form-fields:" + content_digest(parent_id)
    html = cache.get(key)
    if html is None:
        new_form = CommentForm(parent_id=parent_id)
        html = render_to_string("ideas/comments/form_fields.html", {"form": new_form})
        cache.set(key, html, FRAGMENT_TTL_SECONDS)
    return mark_safe(html)  # rendered, and escaped, by our own template


@register.simple_tag(takes_context=True)
def edit_form_for(context: template.Context, comment) -> CommentEditForm:
    """The form to edit one's own `comment`: the rejected one with its errors, or new."""
    bound = context.get("edit_form")
    if bound is not None and bound.comment_id == comment.pk:
        return bound
    return CommentEditForm(comment_id=comment.pk, initial={"comment": comment.text})
