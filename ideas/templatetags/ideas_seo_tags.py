"""What an idea's page offers link previews (see portal.templatetags.seo_tags)."""

from __future__ import annotations

from django import template

from ideas.models import AttachmentKind, Idea, IdeaAttachment
from portal import versions

register = template.Library()


@register.simple_tag
def idea_share_image(reference: str) -> str:
    """The address of the first image attached to a public idea, or "".

    The idea page shows its images to everyone, so a link preview may show one too;
    a withdrawn or hidden idea's images are for its author and staff only. Cached until
    any idea changes, so the page (itself cached for visitors) costs no query for it.
    """
    if not reference:
        return ""

    def find() -> str:
        attachment = (
            IdeaAttachment.objects.filter(
                idea__in=Idea.objects.public(), idea__reference=reference, kind=AttachmentKind.IMAGE
            )
            .select_related("idea")
            .order_by("pk")
            .first()
        )
        return attachment.get_absolute_url() if attachment else ""

    return versions.cached(versions.IDEAS, f"idea-share-image:{reference}", find)
