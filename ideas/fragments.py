"""Rendered HTML cached under a digest of everything it shows.

A fragment's key is a hash of the values rendered into it (plus the language and time
zone it was rendered in), so a change to any of them is a different key: nothing is
ever invalidated, stale entries simply age out. That is why such fragments can live in
a per-process cache (the "local" alias when configured): no other process can make an
entry wrong.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.utils import timezone, translation

FRAGMENT_TTL_SECONDS = 24 * 60 * 60


def fragment_cache_alias() -> str:
    """The cache for content-addressed fragments: per process if there is one."""
    return "local" if "local" in settings.CACHES else "default"


def content_digest(*values: Any) -> str:
    """A digest of `values` as rendered now: in the active language and time zone.

    Values must have a stable `repr` (strings, numbers, booleans, datetimes, tuples).
    """
    hasher = hashlib.sha256()
    hasher.update(repr((translation.get_language(), timezone.get_current_timezone_name())).encode())
    for value in values:
        hasher.update(b"\x1f")
        hasher.update(repr(value).encode())
    return hasher.hexdigest()


def idea_status_digest(idea: Any, public_events: list[Any]) -> str:
    """Names the status section of an idea page (ideas/includes/status.html)."""
    return content_digest(
        idea.status,
        idea.owning_unit.name if idea.owning_unit else None,
        idea.created_at,
        [
            (e.kind, e.from_status, e.to_status, e.public_text, e.data, e.created_at)
            for e in public_events
        ],
    )


def idea_page_digest(
    idea: Any,
    *,
    path: str,
    challenge_link: Any,
    tags: list[Any],
    attachments: list[Any],
    status_digest: str,
    comments: dict[str, Any],
) -> str:
    """Names the whole idea page as someone who is not logged in sees it.

    Every column of the idea goes in, and of everything else what the page shows of
    it: the names of the author, organisation, theme and unit, the challenge's title
    and URL, tags, attachments, the status section, the comments, and the page's own
    address (the log-in links lead back to it).
    """
    return content_digest(
        path,
        [getattr(idea, field.attname) for field in idea._meta.concrete_fields],
        idea.author.public_name,
        idea.organisation.name if idea.organisation else None,
        (idea.theme.pk, idea.theme.name) if idea.theme else None,
        idea.owning_unit.name if idea.owning_unit else None,
        challenge_link,
        [(tag.name, tag.slug) for tag in tags],
        [
            [getattr(attachment, field.attname) for field in attachment._meta.concrete_fields]
            for attachment in attachments
        ],
        status_digest,
        [comments[key] for key in ("count", "is_open", "closed_message", "list_digest")],
    )
