"""`manage.py reconcile_counts_and_index`: the operator's safety net against drift."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ideas.models import Idea, Vote
from search.backends import get_database_backend
from search.models import IndexEntry
from tests.factories import IdeaFactory, UserFactory

pytestmark = pytest.mark.django_db


def reconcile(*args) -> str:
    out = StringIO()
    call_command("reconcile_counts_and_index", *args, stdout=out)
    return out.getvalue()


def test_nothing_to_fix_says_so():
    idea = IdeaFactory(title="Gatelys ved skolen")
    Vote.objects.create(idea=idea, voter=UserFactory())
    get_database_backend().rebuild()

    assert "No drift" in reconcile()


def test_drifted_counts_and_index_are_fixed_and_reported(client):
    idea = IdeaFactory(title="Gatelys ved skolen")
    Vote.objects.create(idea=idea, voter=UserFactory())
    hidden = IdeaFactory(title="Skjult idé")
    get_database_backend().rebuild()
    # What no write path would do, but a hand-made UPDATE or a lost task can.
    Idea.objects.filter(pk=idea.pk).update(support_count=7, title="Benker ved skolen")
    Idea.objects.filter(pk=hidden.pk).update(is_hidden=True)
    missing = IdeaFactory(title="Lekeplass i sentrum")
    IndexEntry.objects.filter(object_id=missing.pk, object_type="idea").delete()

    with pytest.raises(CommandError, match="Drift found"):
        reconcile("--check")
    report = reconcile()

    assert f"Idea {idea.reference}: support_count was 7, the rows say 1" in report
    assert "database index, missing: idea" in report
    assert "database index, not public: idea" in report
    assert "database index, out of date: idea" in report
    assert "Fixed drift" in report
    idea.refresh_from_db()
    assert idea.support_count == 1
    backend = get_database_backend()
    assert backend.search("benker").total == 1
    assert backend.search("lekeplass").total == 1
    assert not IndexEntry.objects.filter(object_id=hidden.pk, object_type="idea").exists()
    assert "No drift" in reconcile()


def test_the_elasticsearch_index_is_reconciled_too(engine_backend):
    idea = IdeaFactory(title="Gatelys ved skolen")
    engine_backend.rebuild()
    get_database_backend().rebuild()
    Idea.objects.filter(pk=idea.pk).update(title="Benker ved skolen")

    report = reconcile()

    assert "elasticsearch index, out of date: idea" in report
    assert engine_backend.search("benker").total == 1
    assert "No drift" in reconcile()
