"""Index updates through the tasks API: resilient when the engine is down."""

from __future__ import annotations

import logging

import pytest
from django_tasks import default_task_backend

from search.backends import SearchUnavailable, get_database_backend
from search.indexing import schedule_reindex
from search.tasks import update_search_index
from tests.factories import IdeaFactory


def test_update_removes_what_is_gone(db, django_capture_on_commit_callbacks):
    idea = IdeaFactory(title="Benker i parken")
    with django_capture_on_commit_callbacks(execute=True):
        schedule_reindex(idea)
    backend = get_database_backend()
    assert backend.search("benker").total == 1
    with django_capture_on_commit_callbacks(execute=True):
        idea.delete()
    assert backend.search("benker").total == 0


def test_engine_down_still_updates_the_embedded_index_and_logs(
    db, settings, closed_port_url, caplog, django_capture_on_commit_callbacks
):
    settings.ELASTICSEARCH_URL = closed_port_url
    idea = IdeaFactory(title="Benker i parken")
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        schedule_reindex(idea)  # the write that triggered it is not disturbed
    assert get_database_backend().search("benker").total == 1
    assert "Search index update failed for ideas.idea" in caplog.text


def test_failed_updates_are_retried_later_by_a_deferring_worker(db, settings, closed_port_url):
    settings.ELASTICSEARCH_URL = closed_port_url
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    idea = IdeaFactory(title="Benker i parken")
    default_task_backend.clear()
    with pytest.raises(SearchUnavailable):
        update_search_index.call(model_label="ideas.idea", pk=idea.pk)
    [retry] = [r for r in default_task_backend.results if r.task.name == "update_search_index"]
    assert retry.kwargs == {"model_label": "ideas.idea", "pk": idea.pk, "attempt": 2}
    assert retry.task.run_after is not None
    # The last attempt gives up (rebuild_search_index catches up).
    default_task_backend.clear()
    with pytest.raises(SearchUnavailable):
        update_search_index.call(model_label="ideas.idea", pk=idea.pk, attempt=5)
    assert [r for r in default_task_backend.results if r.task.name == "update_search_index"] == []
