"""The demo's solution library (solutions.demo): what a visitor of /losninger/ sees after
`make run`, and that running the demo again changes nothing.

The whole demo is seeded once for the module, in a transaction rolled back at the end;
each test runs in its own savepoint inside it.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.utils import translation

from gains.models import Gain, GainEvent, GainStatus, Measurement
from portal import demo
from projects.models import Project
from solutions import actions, selectors
from solutions.models import Adoption, Solution, SolutionEvent, SolutionSource

pytestmark = pytest.mark.django_db


def _clear_caches() -> None:
    for alias in ("default", "local"):
        caches[alias].clear()


@pytest.fixture(scope="module", autouse=True)
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        _clear_caches()
        try:
            call_command("seed_demo", stdout=StringIO())
            yield
        finally:
            transaction.set_rollback(True)
            _clear_caches()
            translation.activate(settings.LANGUAGE_CODE)


def test_eight_published_solutions_across_the_region_from_every_kind_of_source():
    published = Solution.objects.published().select_related("municipality", "project")
    assert published.count() >= 8
    assert Solution.objects.count() == published.count()  # nothing left in review
    assert {s.municipality.slug for s in published} == {"fjordvik", "havbygd", "nordvik"}
    assert {s.source for s in published} == set(SolutionSource.values)
    external = published.get(source=SolutionSource.EXTERNAL)
    assert external.source_url.startswith("https://") and ".example.no/" in external.source_url
    assert external.source_organisation
    for solution in published:
        # Written by the owning municipality's staff, published by its administrator:
        # through the review, as real ones are.
        kinds = list(solution.events.values_list("kind", flat=True))
        assert kinds[:3] == ["created", "submitted", "published"]
        assert set(kinds[3:]) <= {SolutionEvent.Kind.ADOPTED}
        publish = solution.events.get(kind=SolutionEvent.Kind.PUBLISHED)
        assert publish.actor.groups.filter(pk=solution.municipality.administrators_group_id)
        assert solution.themes.exists()
        if solution.project is not None:
            assert solution.project.is_put_into_use
            assert solution.project.municipality_id == solution.municipality_id
    # Fjordvik's projects put into use carry their realised gains with them.
    fjordvik = published.filter(municipality__slug="fjordvik", source=SolutionSource.PROJECT)
    assert fjordvik.count() == 2
    assert Gain.objects.filter(project__solutions__in=fjordvik, status=GainStatus.REALISED).exists()
    # Havbygd's and Nordvik's own projects were run to the end to be shared.
    for slug in ("havbygd", "nordvik"):
        shared = published.filter(municipality__slug=slug, source=SolutionSource.PROJECT)
        assert shared.count() >= 1
        assert Gain.objects.filter(project__solutions__in=shared, status=GainStatus.REALISED)


def test_two_adoptions_measure_their_own_baselines_and_one_is_realised():
    adoptions = list(
        Adoption.objects.select_related("solution__municipality", "municipality", "project")
    )
    assert len(adoptions) == 2
    assert {a.municipality.slug for a in adoptions} == {"havbygd", "nordvik"}
    for adoption in adoptions:
        assert adoption.municipality_id != adoption.solution.municipality_id
        assert adoption.project.municipality_id == adoption.municipality_id
        source = {g.indicator: g for g in Gain.objects.filter(project=adoption.solution.project)}
        own = list(Gain.objects.filter(project=adoption.project))
        # The definitions were copied; what was measured is the adopter's own.
        assert {g.indicator for g in own} == set(source)
        measured = [g for g in own if g.baseline_on is not None]
        assert measured
        for gain in measured:
            original = source[gain.indicator]
            assert gain.baseline_value != original.baseline_value
            mine = set(gain.measurements.values_list("measured_on", "value"))
            theirs = set(original.measurements.values_list("measured_on", "value"))
            assert not mine & theirs
            recorders = gain.measurements.values_list("recorded_by__units__municipality_id")
            assert {m for (m,) in recorders} <= {adoption.municipality_id}
        assert Measurement.objects.filter(gain__project=adoption.project).exists()
    # Each measurement through the services: one trail entry for each.
    adopters = [a.project for a in adoptions]
    assert (
        GainEvent.objects.filter(kind=GainEvent.Kind.MEASURED, gain__project__in=adopters).count()
        == Measurement.objects.filter(gain__project__in=adopters).count()
    )
    figures = {a.municipality.slug: selectors.reuse(a.solution_id) for a in adoptions}
    assert (figures["havbygd"].realised, figures["havbygd"].adopted) == (1, 1)
    assert (figures["nordvik"].realised, figures["nordvik"].adopted) == (0, 1)


def test_the_library_and_the_solution_pages_show_them(django_assert_max_num_queries):
    client = Client()
    client.get("/")  # the site's menus and settings, cached for every page after it
    with django_assert_max_num_queries(12):
        response = client.get("/losninger/")
    assert response.status_code == 200
    html = response.content.decode()
    for solution in Solution.objects.published():
        assert solution.title in html
    for solution in Solution.objects.published():
        # The same for one with three gains measured monthly and two adopters as for one
        # from outside the platform.
        with django_assert_max_num_queries(12):
            assert client.get(solution.get_absolute_url()).status_code == 200
    adopted = Adoption.objects.get(municipality__slug="havbygd").solution
    response = client.get(adopted.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Havbygd kommune" in html
    assert "1 av 1" in html  # "realised in 1 of 1"
    assert "Fall som krever legevakt eller sykehus" in html  # the source's realised gain


def test_slugs_keep_the_norwegian_letters_readable():
    # æ and ø written as in ASCII Norwegian, not dropped ("nkkel"), as projects do.
    assert actions.unique_slug("Digital nøkkel til hallen på Ærøy") == (
        "digital-nokkel-til-hallen-pa-aeroy"
    )
    assert actions.unique_slug("Garnmottak på kaia") == "garnmottak-pa-kaia-2"  # taken
    assert len(actions.unique_slug("Økonomi " * 40)) <= 70
    assert not actions.unique_slug("Ø " * 60).endswith("-")
    assert actions.unique_slug("–") == "losning"
    slugs = set(Solution.objects.values_list("slug", flat=True))
    assert "garnmottak-pa-kaia" in slugs
    assert "apen-hall-pa-fredagskvelder" in slugs
    assert "ungdomsradets-eget-budsjett" in slugs


def test_running_the_demo_again_changes_nothing():
    def state():
        return {
            "solutions": list(
                Solution.objects.order_by("pk").values_list("pk", "slug", "status", "published_at")
            ),
            "events": SolutionEvent.objects.count(),
            "adoptions": list(Adoption.objects.order_by("pk").values_list("pk", "project_id")),
            "projects": Project.objects.count(),
            "gains": list(Gain.objects.order_by("pk").values_list("pk", "status")),
            "measurements": Measurement.objects.count(),
        }

    before = state()
    demo.seed()
    assert state() == before
