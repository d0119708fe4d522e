"""Safe Markdown for text people write: ideas now, comments too.

Two independent layers: raw HTML in the source is escaped before Markdown sees it, so
it can only ever appear as text; the HTML Markdown produces is then cleaned with nh3
against a short allow-list, so even a Markdown quirk cannot smuggle markup through.
"""

from __future__ import annotations

import markdown as markdown_lib
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = frozenset(
    {"p", "br", "strong", "em", "ul", "ol", "li", "a", "blockquote", "code", "pre", "h3", "h4"}
)
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"


def _escape_raw_html(text: str) -> str:
    # Only "&" and "<" need escaping for HTML to become text; leaving ">" alone keeps
    # Markdown block quotes working.
    return text.replace("&", "&amp;").replace("<", "&lt;")


def render_markdown(text: str) -> SafeString:
    """Markdown -> HTML with only harmless tags; links get rel="nofollow ugc noopener"."""
    html = markdown_lib.markdown(_escape_raw_html(text or ""), output_format="html")
    # Headings people type as "#" become h3/h4 so they never outrank the page's own.
    for level, replacement in (("h1", "h3"), ("h2", "h3"), ("h5", "h4"), ("h6", "h4")):
        html = html.replace(f"<{level}>", f"<{replacement}>").replace(
            f"</{level}>", f"</{replacement}>"
        )
    cleaned = nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel=LINK_REL,
    )
    return mark_safe(cleaned)  # cleaned by nh3 against the allow-list above
