"""Keeping the search index in step with what is public.

Every service that changes something visible in search calls `schedule_reindex`. The
update runs after the transaction commits, through Django's tasks API, so the index
never shows a change that was rolled back.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.db import models, transaction

logger = logging.getLogger(__name__)


def schedule_reindex(instance: models.Model) -> None:
    """Queue an index update (or removal, if no longer public) for one object."""
    schedule_reindex_key(instance._meta.label_lower, instance.pk)


def schedule_reindex_key(model_label: str, pk: int) -> None:
    """Like `schedule_reindex`, for an object that may no longer exist."""
    schedule_reindex_keys([(model_label, pk)])


# Several writes in one transaction often touch the same document (a vote, the idea's
# own save, portal.invalidation's rule for each). Each call queues its own on-commit
# callback, but a key is only "dirty" once: the first callback to run after the commit
# enqueues it, the others find it done. (A key left dirty by a rolled-back transaction
# is enqueued when something schedules it again, which is the only time it matters.)
BATCH_SIZE = 100
_DIRTY = "_portal_search_dirty"


def schedule_reindex_keys(keys: Iterable[tuple[str, int]]) -> None:
    """Queue index updates for these (model label, pk) after commit, each once per
    commit. Many objects of one model go in batches, as one task each."""
    keys = {(label, int(pk)) for label, pk in keys}
    if not keys:
        return
    connection = transaction.get_connection()
    dirty: set[tuple[str, int]] = connection.__dict__.setdefault(_DIRTY, set())
    dirty |= keys

    def enqueue() -> None:
        todo = keys & dirty
        dirty.difference_update(todo)
        _enqueue(todo)

    transaction.on_commit(enqueue)


def _enqueue(keys: Iterable[tuple[str, int]]) -> None:
    from search.tasks import update_search_index, update_search_index_many

    by_label: dict[str, list[int]] = {}
    for label, pk in sorted(keys):
        by_label.setdefault(label, []).append(pk)
    for label, pks in by_label.items():
        for start in range(0, len(pks), BATCH_SIZE):
            batch = pks[start : start + BATCH_SIZE]
            try:
                if len(batch) == 1:
                    update_search_index.enqueue(model_label=label, pk=batch[0])
                else:
                    update_search_index_many.enqueue(model_label=label, pks=batch)
            except Exception:
                # A broken queue must not break the write that already committed;
                # rebuild_search_index (or reconcile_counts_and_index) catches up.
                logger.exception("Could not enqueue a search index update for %s %s", label, batch)
