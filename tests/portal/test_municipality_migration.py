"""An existing single-municipality database moves into its first municipality.

The migrations are run for real with the migration executor: back to the state before
municipalities, rows made with that state's historical models, then forward again (and
back once more, as the migration is reversible). Runs outside a transaction: SQLite
cannot change a table's schema inside one.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("portal", "0003_unit_english_name"), ("ideas", "0007_comment_revisions")]


def migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection)


def latest() -> list[tuple[str, str]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.fixture
def before_municipalities(settings):
    settings.PORTAL_MUNICIPALITY_NAME = "Fjordvik kommune"
    settings.PORTAL_MUNICIPALITY_NUMBER = "9902"
    settings.PORTAL_INTAKE_UNIT_SLUG = "strategi-og-utvikling"
    executor = migrate(BEFORE)
    yield executor.loader.project_state(BEFORE).apps
    migrate(latest())  # whatever happened, the next test finds the schema it expects


def make_single_municipality_data(apps) -> None:
    Unit = apps.get_model("portal", "Unit")
    User = apps.get_model("portal", "User")
    Idea = apps.get_model("ideas", "Idea")
    RoutingRule = apps.get_model("ideas", "RoutingRule")
    intake = Unit.objects.create(name="Strategi og utvikling", slug="strategi-og-utvikling")
    teknisk = Unit.objects.create(name="Teknisk", slug="teknisk", parent=intake)
    author = User.objects.create(email="kari@example.no", password="!")
    Idea.objects.bulk_create(
        Idea(
            reference=f"2025-{number:05d}",
            title=f"Idé {number}",
            summary="Kort.",
            description="Lang.",
            author=author,
            owning_unit=teknisk if number % 2 else intake,
        )
        for number in range(1, 151)
    )
    RoutingRule.objects.create(name="Forslag", idea_kind="proposal", target_unit=teknisk)
    RoutingRule.objects.create(name="Idéer", idea_kind="idea", target_unit=intake)


def test_existing_units_ideas_and_rules_move_into_the_first_municipality(
    before_municipalities,
):
    make_single_municipality_data(before_municipalities)

    migrate(latest())

    from ideas.models import Idea, RoutingRule
    from portal.models import Municipality, Unit

    municipality = Municipality.objects.get()
    assert (municipality.name, municipality.slug, municipality.number) == (
        "Fjordvik kommune",
        "fjordvik",
        "9902",
    )
    assert municipality.intake_unit == Unit.objects.get(slug="strategi-og-utvikling")
    # Nothing lost, everything assigned, references and owners kept.
    assert Unit.objects.filter(municipality=municipality).count() == 2
    assert Idea.objects.filter(municipality=municipality).count() == 150
    assert Idea.objects.get(reference="2025-00001").owning_unit.slug == "teknisk"
    assert Idea.objects.get(reference="2025-00002").owning_unit.slug == "strategi-og-utvikling"
    assert set(
        RoutingRule.objects.filter(municipality=municipality).values_list("name", flat=True)
    ) == {"Forslag", "Idéer"}
    assert Unit.objects.get(slug="teknisk").parent.slug == "strategi-og-utvikling"


def test_the_migration_can_be_undone_without_losing_data(before_municipalities):
    make_single_municipality_data(before_municipalities)
    migrate(latest())

    apps = migrate(BEFORE).loader.project_state(BEFORE).apps

    assert apps.get_model("portal", "Unit").objects.count() == 2
    assert apps.get_model("ideas", "Idea").objects.count() == 150
    assert apps.get_model("ideas", "RoutingRule").objects.count() == 2


def test_without_an_intake_unit_the_municipality_waits_for_one(before_municipalities, settings):
    settings.PORTAL_INTAKE_UNIT_SLUG = "finnes-ikke"
    before_municipalities.get_model("portal", "Unit").objects.create(name="Teknisk", slug="teknisk")

    migrate(latest())

    from portal.models import Municipality

    assert Municipality.objects.get().intake_unit is None


def test_a_fresh_database_gets_no_municipality(before_municipalities):
    assert not before_municipalities.get_model("portal", "Unit").objects.exists()

    migrate(latest())

    from portal.models import Municipality

    assert not Municipality.objects.exists()
