"""Writing the audit trail. Every service that changes an idea records what it did here."""

from __future__ import annotations

from typing import Any

from ideas.models import Idea, IdeaEvent
from portal.models import User


def record_event(
    *,
    idea: Idea,
    actor: User | None,
    kind: str,
    from_status: str = "",
    to_status: str = "",
    public_text: str = "",
    internal_note: str = "",
    is_internal: bool = False,
    data: dict[str, Any] | None = None,
    municipality_id: int | None = None,
) -> IdeaEvent:
    """Append one event to the idea's log. Call inside the transaction of the change."""
    return IdeaEvent.objects.create(
        idea=idea,
        actor=actor,
        kind=kind,
        from_status=from_status,
        to_status=to_status,
        public_text=public_text,
        internal_note=internal_note,
        is_internal=is_internal,
        data=data or {},
        municipality_id=municipality_id,
    )
