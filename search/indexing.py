"""Keeping the search index in step with what is public.

Every service that changes something visible in search calls `schedule_reindex`. The
update runs after the transaction commits, through Django's tasks API, so the index
never shows a change that was rolled back.
"""

from __future__ import annotations

from django.db import models, transaction


def schedule_reindex(instance: models.Model) -> None:
    """Queue an index update (or removal, if no longer public) for one object."""
    from search.tasks import update_search_index

    label = instance._meta.label_lower
    pk = instance.pk
    transaction.on_commit(lambda: update_search_index.enqueue(model_label=label, pk=pk))
