"""Rendered HTML cached under a digest of everything it shows.

A fragment's key is a hash of the values rendered into it (plus the language and time
zone it was rendered in), so a change to any of them is a different key: nothing is
ever invalidated, stale entries simply age out. That is why such fragments can live in
a per-process cache (the "local" alias): no other process can make an
entry wrong.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone, translation

from portal import versions

FRAGMENT_TTL_SECONDS = 24 * 60 * 60


# Content-addressed entries can never be stale, so a per-process cache will do.
FRAGMENT_CACHE = "local"


def content_digest(*values: Any) -> str:
    """A digest of `values` as rendered now: in the active language and time zone.

    Values must have a stable `repr` (strings, numbers, booleans, datetimes, tuples).
    """
    return versions.fingerprint(
        translation.get_language(), timezone.get_current_timezone_name(), *values
    )


def idea_status_digest(idea: Any, public_events: list[Any]) -> str:
    """Names the status section of an idea page (ideas/includes/status.html)."""
    return content_digest(
        idea.status,
        # Its name in the interface language (an English name, when one is written).
        idea.owning_unit.display_name if idea.owning_unit else None,
        idea.created_at,
        [
            (e.kind, e.from_status, e.to_status, e.public_text, e.data, e.created_at)
            for e in public_events
        ],
    )
