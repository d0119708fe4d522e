"""Index updates, run by the task backend after commit."""

from __future__ import annotations

from django.apps import apps
from django_tasks import task


@task()
def update_search_index(*, model_label: str, pk: int) -> str:
    """Index the object if it is public, remove it from the index otherwise."""
    from search.backends import get_backend

    model = apps.get_model(model_label)
    backend = get_backend()
    instance = model._default_manager.filter(pk=pk).first()
    if instance is None or not backend.is_indexable(instance):
        backend.delete(model_label=model_label, pk=pk)
        return "deleted"
    backend.index(instance)
    return "indexed"
