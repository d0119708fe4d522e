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


def test_words_that_became_common_get_their_own_ranking_rows(monkeypatch):
    """Not drift: the nightly run also keeps the searches for the commonest words fast
    (PostgreSQL), and a search for one finds the same either way."""
    from django.db import connection

    from search import fulltext
    from search.models import CommonTerm, CommonTermRank

    monkeypatch.setattr(fulltext, "COMMON_TERM_MIN", 3)
    IdeaFactory(title="Lys i lysløypa")
    get_database_backend().rebuild()
    before = [hit.title for hit in get_database_backend().search("lekeplass").hits]
    for n in range(3):
        get_database_backend().index(IdeaFactory(title=f"Lekeplass i sentrum {n}"))

    output = reconcile()

    assert "No drift" in output
    if connection.vendor == "postgresql":
        assert "Common words ranked ahead" in output and "lekeplass" in output
        assert CommonTerm.objects.filter(stem="lekeplass").exists()
        assert CommonTermRank.objects.filter(stem="lekeplass").count() == 3
    else:
        assert "Common words" not in output  # SQLite ranks every match, from FTS5
    assert before == []
    assert len(get_database_backend().search("lekeplass").hits) == 3
    # Nothing changed since: nothing to say.
    assert "Common words" not in reconcile("--check")
    assert "Common words" not in reconcile()
