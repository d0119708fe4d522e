"""The data migration that brings tags stored before the tag rule into its one form.

django-test-migrations is not installed, so the migration's function is called with the
historical models of its own state, as `migrate` would call it. The test database is
already migrated; the rows made here stand in for tags stored before the rule.
"""

from __future__ import annotations

import importlib
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from ideas import counts
from ideas.models import Idea, IdeaTag, RoutingRule, TaggedIdea
from search.backends import get_database_backend
from tests.factories import IdeaFactory, UnitFactory

pytestmark = pytest.mark.django_db


def _migration_name() -> str:
    # Found by its name, not its number, so renumbering the migration keeps the test.
    loader = MigrationExecutor(connection).loader
    (name,) = [
        name
        for app, name in loader.disk_migrations
        if app == "ideas" and name.endswith("_normalise_existing_tags")
    ]
    return name


def migrate_tags() -> None:
    name = _migration_name()
    module = importlib.import_module(f"ideas.migrations.{name}")
    apps = MigrationExecutor(connection).loader.project_state(("ideas", name)).apps
    # The function only needs the connection's alias; a real schema editor cannot be
    # opened inside the test's transaction on SQLite.
    module.normalise_existing_tags(apps, SimpleNamespace(connection=connection))


def tag(name: str, slug: str) -> IdeaTag:
    return IdeaTag.objects.create(name=name, slug=slug)


def tagged(idea: Idea, *tags: IdeaTag) -> Idea:
    TaggedIdea.objects.bulk_create([TaggedIdea(content_object=idea, tag=t) for t in tags])
    return idea


def tags_of(idea: Idea) -> list[str]:
    return sorted(idea.tags.values_list("name", flat=True))


@pytest.fixture
def stored():
    """Tags as people typed them before the rule, on four public ideas."""
    t = {
        "Sykkel": tag("Sykkel", "sykkel"),
        "sykkel": tag("sykkel", "sykkel_1"),  # already in its one form
        "SYKKEL": tag("SYKKEL", "sykkel_2"),
        "Grønn Mobilitet": tag("Grønn  Mobilitet", "grønn-mobilitet"),
        "eldreomsorg": tag("eldreomsorg", "eldreomsorg"),
        "<script>": tag("<script>", "script"),
        "a": tag("a", "a"),
    }
    return SimpleNamespace(
        tags=t,
        both=tagged(
            IdeaFactory(title="To skrivemåter"),
            t["Sykkel"],
            t["sykkel"],
            t["<script>"],
            t["eldreomsorg"],
        ),
        caps=tagged(IdeaFactory(title="Store bokstaver"), t["SYKKEL"], t["Grønn Mobilitet"]),
        lower=tagged(IdeaFactory(title="Små bokstaver"), t["sykkel"]),
        junk=tagged(IdeaFactory(title="Bare rusk"), t["<script>"], t["a"]),
    )


def test_spellings_merge_junk_goes_and_ideas_keep_their_valid_tags(stored):
    kept = stored.tags["sykkel"]
    migrate_tags()

    assert sorted(IdeaTag.objects.values_list("name", "slug")) == [
        ("eldreomsorg", "eldreomsorg"),
        ("grønn-mobilitet", "grønn-mobilitet"),
        ("sykkel", "sykkel"),  # the slug freed by the merge, as taggit would give it
    ]
    # The tag already written in its one form is the one kept: links to it still work.
    assert IdeaTag.objects.get(name="sykkel").pk == kept.pk
    assert tags_of(stored.both) == ["eldreomsorg", "sykkel"]  # two spellings, one tag
    assert tags_of(stored.caps) == ["grønn-mobilitet", "sykkel"]
    assert tags_of(stored.lower) == ["sykkel"]
    assert tags_of(stored.junk) == []
    assert Idea.objects.count() == 4  # ideas are never lost with their tags
    assert TaggedIdea.objects.count() == 5


def test_routing_rules_follow_the_merged_tag(stored):
    unit = UnitFactory()
    on_caps = RoutingRule.objects.create(
        name="Sykkel", tag=stored.tags["SYKKEL"], target_unit=unit, priority=1
    )
    RoutingRule.objects.create(name="Rusk", tag=stored.tags["<script>"], target_unit=unit)
    migrate_tags()

    on_caps.refresh_from_db()
    assert on_caps.tag.name == "sykkel"
    # A rule on what cannot be a tag could never match an idea again.
    assert list(RoutingRule.objects.values_list("name", flat=True)) == ["Sykkel"]


def test_running_again_changes_nothing(stored):
    migrate_tags()
    before = sorted(TaggedIdea.objects.values_list("content_object_id", "tag__name"))
    tags_before = sorted(IdeaTag.objects.values_list("pk", "name", "slug"))
    migrate_tags()
    assert sorted(TaggedIdea.objects.values_list("content_object_id", "tag__name")) == before
    assert sorted(IdeaTag.objects.values_list("pk", "name", "slug")) == tags_before


def test_counts_and_the_tag_filter_are_right_at_once(stored, client, django_assert_max_num_queries):
    by_tag = Idea.objects.public().filter(tags__slug="sykkel")
    assert counts.count(by_tag) == 1  # cached: only "Sykkel" had that slug before

    migrate_tags()

    assert counts.count(Idea.objects.public().filter(tags__slug="sykkel")) == 3
    # The list's usual guard (tests/ideas/test_views.py), cold caches included.
    with django_assert_max_num_queries(22):
        response = client.get(reverse("ideas:list"), {"tag": "sykkel"})
    html = response.content.decode()
    for idea in (stored.both, stored.caps, stored.lower):
        assert idea.title in html
    assert stored.junk.title not in html
    assert "&lt;script&gt;" not in html and "<script>" not in html.split("</head>")[1]


def test_search_is_right_after_the_nightly_reconcile(stored):
    backend = get_database_backend()
    backend.rebuild()
    migrate_tags()

    out = StringIO()
    call_command("reconcile_counts_and_index", stdout=out)
    assert "out of date" in out.getvalue()  # the documents still named the old tags

    results = backend.search("", filters={"tag": ["sykkel"]})
    assert {hit.title for hit in results.hits} == {
        "To skrivemåter",
        "Store bokstaver",
        "Små bokstaver",
    }
    assert results.facet_count("tag", "grønn-mobilitet") == 1
    assert results.facet_count("tag", "Sykkel") == 0
    out = StringIO()
    call_command("reconcile_counts_and_index", stdout=out)
    assert "No drift" in out.getvalue()


def test_cost_does_not_grow_with_the_tagged_ideas(django_assert_max_num_queries):
    spellings = [tag("Trafikk", "trafikk"), tag("trafikk", "trafikk_1"), tag("TRAFIKK", "t")]
    junk = tag("!!", "x")
    ideas = IdeaFactory.create_batch(60)
    for i, idea in enumerate(ideas):
        tagged(idea, spellings[i % 3], spellings[(i + 1) % 3], junk)

    # A statement per tag at most, never one per tagged idea (180 rows here).
    with django_assert_max_num_queries(25):
        migrate_tags()
    assert TaggedIdea.objects.count() == 60
    assert set(TaggedIdea.objects.values_list("tag__name", flat=True)) == {"trafikk"}


def test_reversing_the_migration_is_allowed_and_does_nothing(stored):
    name = _migration_name()
    module = importlib.import_module(f"ideas.migrations.{name}")
    (operation,) = module.Migration.operations
    assert operation.reversible
    state = MigrationExecutor(connection).loader.project_state(("ideas", name))
    before = sorted(IdeaTag.objects.values_list("pk", "name"))
    operation.reverse_code(state.apps, SimpleNamespace(connection=connection))
    assert sorted(IdeaTag.objects.values_list("pk", "name")) == before
