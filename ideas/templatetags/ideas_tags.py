"""Template helpers for ideas: safe Markdown, status colours, follow/vote buttons."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from ideas import fragments, selectors
from ideas.markdown import render_markdown
from ideas.models import IdeaStatus
from portal import versions

register = template.Library()

STATUS_COLORS = {
    IdeaStatus.SUBMITTED: "info",
    IdeaStatus.IN_REVIEW: "warning",
    IdeaStatus.ACCEPTED: "success",
    IdeaStatus.IMPLEMENTED: "success",
    IdeaStatus.REJECTED: "neutral",
    IdeaStatus.MERGED: "neutral",
    IdeaStatus.WITHDRAWN: "neutral",
}


@register.filter
def markdown(text: str) -> SafeString:
    """Render what a person wrote as safe HTML (see ideas.markdown)."""
    return render_markdown(text)


@register.filter
def status_color(status: str) -> str:
    return STATUS_COLORS.get(status, "neutral")


@register.inclusion_tag("ideas/includes/follow_challenge.html", takes_context=True)
def challenge_follow_button(context, challenge) -> dict:
    """A follow/unfollow button for a challenge page: `{% challenge_follow_button page %}`."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "challenge": challenge,
        "is_following": bool(user and selectors.follows_challenge(user, challenge)),
        "request": request,
        "user": user,
        "csrf_token": context.get("csrf_token"),
    }


class PersonalNode(template.Node):
    def __init__(self, nodelist: template.NodeList, name_parts: list) -> None:
        self.nodelist = nodelist
        self.name_parts = name_parts

    def render(self, context: template.Context) -> str:
        default = self.nodelist.render(context)
        if not context.get("personal_slots"):
            return default
        name = "-".join(str(part.resolve(context)) for part in self.name_parts)
        return fragments.slot_start(name) + default + fragments.slot_end()


@register.tag
def personal(parser: template.base.Parser, token: template.base.Token) -> PersonalNode:
    """`{% personal "comment" comment.pk %}default{% endpersonal %}`: a slot for what is
    the viewer's own, in HTML rendered once for everyone (see ideas.fragments.SlottedHTML).

    Rendered with `personal_slots` in the context, the default is marked as the slot
    named by the arguments joined with "-" ("comment-12"); otherwise it is just itself.
    """
    name_parts = [parser.compile_filter(bit) for bit in token.split_contents()[1:]]
    if not name_parts:
        raise template.TemplateSyntaxError("{% personal %} needs a name")
    nodelist = parser.parse(("endpersonal",))
    parser.delete_first_token()
    return PersonalNode(nodelist, name_parts)


@register.filter
def is_in(value: object, container) -> bool:
    return value in container


@register.filter
def card_fingerprint(idea) -> str:
    """A digest of everything an idea card shows (see ideas/includes/idea_card.html).

    The card is cached under it, so any change to what it shows is a new entry and a
    cached card can never be out of date.
    """
    return versions.fingerprint(
        idea.pk,
        idea.reference,
        idea.status,
        idea.kind,
        idea.title,
        idea.summary,
        idea.created_at,
        idea.comment_count,  # (support is a live figure: portal.figures)
        idea.author.public_name,
        idea.organisation.name if idea.organisation_id else None,
        getattr(idea, "challenge_link", None),
        getattr(idea, "joint_lead", None),
        tuple((tag.slug, tag.name) for tag in idea.card_tags),
    )
