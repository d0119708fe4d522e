# ruff: noqa: F811 - pytest fixtures imported from tests.ideas.test_services
"""Index updates through the tasks API: resilient when the engine is down."""

from __future__ import annotations

import functools
import json
import logging

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus, default_task_backend
from django_tasks_db.models import DBTaskResult

from ideas.models import Idea, Vote
from search.backends import SearchUnavailable, get_database_backend
from search.indexing import schedule_reindex
from search.tasks import update_search_index
from tests.factories import IdeaFactory
from tests.ideas.test_services import intake_unit  # noqa: F401 - fixture
from tests.portal.test_settings import print_setting


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


# --- A hung engine under the production task settings --------------------------------------


@functools.cache
def production_task_settings() -> dict:
    """The task settings production runs with when the environment says nothing else."""
    return json.loads(
        print_setting(
            "portal.settings.production",
            "__import__('json').dumps(settings.TASKS)",
            SECRET_KEY="k" * 60,
            ALLOWED_HOSTS="ideer.kommune.example.no",
        )
    )


@pytest.fixture
def production_tasks(settings):
    settings.TASKS = production_task_settings()


def queued_index_updates() -> list[dict]:
    """Index updates waiting in the queue, now or later."""
    return [
        result.args_kwargs["kwargs"]
        for result in DBTaskResult.objects.filter(
            status=TaskResultStatus.READY, task_path="search.tasks.update_search_index"
        )
    ]


def test_a_vote_only_queues_its_index_update_when_the_engine_hangs(
    citizen_client,
    citizen,
    settings,
    hung_engine,
    production_tasks,
    django_capture_on_commit_callbacks,
):
    settings.ELASTICSEARCH_URL = hung_engine.url
    idea = IdeaFactory(title="Benker i parken")

    with django_capture_on_commit_callbacks(execute=True):
        response = citizen_client.post(
            reverse("ideas:vote", kwargs={"reference": idea.reference}), {"action": "support"}
        )

    assert response.status_code == 302
    assert Vote.objects.filter(idea=idea, voter=citizen).exists()
    # The update waits in the queue for `db_worker`; the request never called the engine.
    assert queued_index_updates() == [{"model_label": "ideas.idea", "pk": idea.pk}]
    assert hung_engine.connections == 0


def test_submitting_an_idea_only_queues_side_effects_when_the_engine_hangs(
    citizen_client,
    intake_unit,
    settings,
    hung_engine,
    production_tasks,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    settings.ELASTICSEARCH_URL = hung_engine.url
    intake_unit.staff.add(IdeaFactory().author)

    with django_capture_on_commit_callbacks(execute=True):
        response = citizen_client.post(
            reverse("ideas:submit"),
            {
                "title": "Gatelys på skoleveien",
                "summary": "Mørk skolevei om vinteren.",
                "description": "Strekningen mangler lys.",
                "tags": "skolevei",
            },
        )

    idea = Idea.objects.get(title="Gatelys på skoleveien")
    assert response.status_code == 302
    assert queued_index_updates() == [{"model_label": "ideas.idea", "pk": idea.pk}]
    # E-mails to the unit are queued too, not sent inside the request.
    assert mailoutbox == []
    assert DBTaskResult.objects.ready().filter(task_path__startswith="ideas.tasks.").exists()
    assert hung_engine.connections == 0


# db_worker closes the database connection between tasks, as a long-running worker must;
# inside a test's wrapping transaction that would end the test's connection on PostgreSQL.
@pytest.mark.django_db(transaction=True)
def test_the_worker_updates_the_index_and_retries_the_engine_later(
    citizen_client,
    settings,
    closed_port_url,
    production_tasks,
    django_capture_on_commit_callbacks,
):
    settings.ELASTICSEARCH_URL = closed_port_url
    idea = IdeaFactory(title="Benker i parken")
    # Outside a wrapping transaction, creating the idea queued its own index update
    # already; this test follows the vote's.
    DBTaskResult.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        citizen_client.post(
            reverse("ideas:vote", kwargs={"reference": idea.reference}), {"action": "support"}
        )

    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)

    # The embedded index (what search falls back to) has the new count.
    [hit] = get_database_backend().search("benker").hits
    assert hit.support_count == 1
    # The engine was down: this attempt failed, and another one waits for later.
    assert DBTaskResult.objects.failed().filter(task_path__startswith="search.").count() == 1
    assert queued_index_updates() == [{"model_label": "ideas.idea", "pk": idea.pk, "attempt": 2}]
    retry = DBTaskResult.objects.get(status=TaskResultStatus.READY, task_path__startswith="search.")
    assert retry.run_after > timezone.now()
