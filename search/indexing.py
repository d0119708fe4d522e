"""Keeping the search index in step with what is public.

Every service that changes something visible in search calls `schedule_reindex`. The
update runs after the transaction commits, through Django's tasks API, so the index
never shows a change that was rolled back.
"""

from __future__ import annotations

import logging

from django.db import models, transaction

logger = logging.getLogger(__name__)


def schedule_reindex(instance: models.Model) -> None:
    """Queue an index update (or removal, if no longer public) for one object."""
    schedule_reindex_key(instance._meta.label_lower, instance.pk)


def schedule_reindex_key(model_label: str, pk: int) -> None:
    """Like `schedule_reindex`, for an object that may no longer exist."""
    from search.tasks import update_search_index

    def enqueue() -> None:
        try:
            update_search_index.enqueue(model_label=model_label, pk=pk)
        except Exception:
            # A broken queue must not break the write that already committed;
            # rebuild_search_index catches up.
            logger.exception("Could not enqueue a search index update for %s %s", model_label, pk)

    transaction.on_commit(enqueue)
