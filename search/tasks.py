"""Index updates, run by the task backend after commit.

The embedded index is always kept up to date (it is what public search falls back to);
when Elasticsearch is configured, the cluster is updated too. If the cluster cannot be
reached, the update is logged and, on a task backend that can defer (django-tasks-db),
enqueued again with a growing delay. Whatever still fails, `rebuild_search_index` catches
up.
"""

from __future__ import annotations

import datetime
import logging

from django.apps import apps
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5


def _apply(backend, model_label: str, pk: int, instance) -> str:
    if instance is None or not backend.is_indexable(instance):
        backend.delete(model_label=model_label, pk=pk)
        return "deleted"
    backend.index(instance)
    return "indexed"


@task()
def update_search_index(*, model_label: str, pk: int, attempt: int = 1) -> str:
    """Index the object if it is public, remove it from every index otherwise."""
    from search.backends import SearchUnavailable, get_backend, get_database_backend

    model = apps.get_model(model_label)
    instance = model._default_manager.filter(pk=pk).first()
    outcome = _apply(get_database_backend(), model_label, pk, instance)
    backend = get_backend()
    if backend.name == "database":
        return outcome
    try:
        return _apply(backend, model_label, pk, instance)
    except SearchUnavailable:
        logger.exception(
            "Search index update failed for %s %s (attempt %s)", model_label, pk, attempt
        )
        _retry_later(update_search_index, attempt=attempt, model_label=model_label, pk=pk)
        raise


def _apply_many(backend, model_label: str, pks: list[int]) -> int:
    """Index the public ones among `pks` in bulk, remove the rest. Returns how many indexed."""
    from search import content

    docs = content.public_documents(model_label, pks)
    backend.index_documents(docs)
    for pk in sorted(set(pks) - {doc.pk for doc in docs}):
        backend.delete(model_label=model_label, pk=pk)
    return len(docs)


@task()
def update_search_index_many(*, model_label: str, pks: list[int], attempt: int = 1) -> str:
    """`update_search_index` for many objects of one model (a renamed theme's ideas)."""
    from search.backends import SearchUnavailable, get_backend, get_database_backend

    indexed = _apply_many(get_database_backend(), model_label, pks)
    backend = get_backend()
    if backend.name != "database":
        try:
            _apply_many(backend, model_label, pks)
        except SearchUnavailable:
            logger.exception(
                "Search index update failed for %s %s (attempt %s)", model_label, pks, attempt
            )
            _retry_later(
                update_search_index_many, attempt=attempt, model_label=model_label, pks=pks
            )
            raise
    return f"indexed {indexed}, removed {len(pks) - indexed}"


def _retry_later(task, *, attempt: int, **arguments) -> None:
    """Queue the next attempt after 30 s, 1 min, 2 min, … (at most MAX_ATTEMPTS in all),
    where the task backend can run tasks later (the database backend can)."""
    if attempt < MAX_ATTEMPTS and task.get_backend().supports_defer:
        delay = datetime.timedelta(seconds=30 * 2 ** (attempt - 1))
        task.using(run_after=timezone.now() + delay).enqueue(attempt=attempt + 1, **arguments)
