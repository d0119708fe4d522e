"""The demo's innovation projects and gains (projects.demo, gains.demo): what a visitor
of Fjordvik sees after `make run`, and that running the demo again changes nothing.

The whole demo is seeded once for the module, in a transaction rolled back at the end
(seeding takes a while); each test runs in its own savepoint inside it.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.utils import timezone, translation

from gains import demo as gains_demo
from gains.models import Gain, GainEvent, GainStatus, GainType, Measurement
from ideas.models import Idea, IdeaEvent, IdeaStatus
from portal import demo
from projects import demo as projects_demo
from projects.models import (
    Milestone,
    ParticipatingUnit,
    Phase,
    Project,
    ProjectAdoption,
    ProjectEvent,
    ProjectIdea,
    TeamMember,
    ValueOrigin,
)

pytestmark = pytest.mark.django_db
E = ProjectEvent.Kind


def _clear_caches() -> None:
    for alias in ("default", "local"):
        caches[alias].clear()


@pytest.fixture(scope="module", autouse=True)
def seeded(django_db_setup, django_db_blocker):
    """The whole demo, as `make run` loads it, rolled back after the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        _clear_caches()
        try:
            call_command("seed_demo", stdout=StringIO())
            yield
        finally:
            transaction.set_rollback(True)
            _clear_caches()
            translation.activate(settings.LANGUAGE_CODE)


def fjordvik_projects():
    return Project.objects.filter(municipality__slug="fjordvik").select_related(
        "phase", "owning_unit"
    )


def test_fjordvik_has_projects_in_every_phase_started_from_its_accepted_ideas():
    projects = list(fjordvik_projects())
    assert len(projects) >= 6
    assert {p.phase.slug for p in projects} == set(Phase.objects.values_list("slug", flat=True))
    for project in projects:
        links = list(ProjectIdea.objects.filter(project=project).select_related("idea"))
        assert links, f"{project} carries on no idea"
        for link in links:
            # Accepted when the project started; put into use with the project since.
            assert link.idea.status in (IdeaStatus.ACCEPTED, IdeaStatus.IMPLEMENTED)
            assert link.idea.owning_unit_id == project.owning_unit_id
            assert link.idea.municipality.slug == "fjordvik"
        # Started by the owning unit's caseworker, through the service (its trail).
        started = project.events.get(kind=E.STARTED)
        assert project.owning_unit.staff.filter(pk=started.actor_id).exists()
        assert project.owner_id == started.actor_id
        assert project.budget and project.budget > 0
    assert len({p.owning_unit_id for p in projects}) >= 4


def test_units_across_the_region_take_part_with_contacts_and_teams():
    participations = ParticipatingUnit.objects.filter(
        project__municipality__slug="fjordvik"
    ).select_related("unit__municipality", "contact")
    assert participations.count() >= 8
    for participation in participations:
        # The contact is a person in that unit, someone to ask.
        assert participation.unit.staff.filter(pk=participation.contact_id).exists()
        assert participation.role
    neighbours = {p.unit.municipality.slug for p in participations} - {"fjordvik"}
    assert neighbours == {"havbygd", "nordvik"}
    assert TeamMember.objects.filter(project__municipality__slug="fjordvik").count() >= 6
    # Every addition went through the services and is in the trail.
    assert ProjectEvent.objects.filter(kind=E.UNIT_ADDED).count() == participations.count()


def test_milestones_have_planned_and_actual_dates_in_the_past_only():
    today = timezone.localdate()
    milestones = Milestone.objects.filter(project__municipality__slug="fjordvik")
    reached = milestones.filter(reached_on__isnull=False)
    assert reached.exists() and milestones.filter(reached_on__isnull=True).exists()
    assert all(m.reached_on <= today for m in reached)
    assert any(m.reached_on > m.planned_on for m in reached)  # some came late
    assert milestones.filter(planned_on__gt=today).exists()  # and some lie ahead


def test_gains_of_every_type_with_baselines_targets_and_a_year_of_measurements():
    today = timezone.localdate()
    gains = Gain.objects.filter(project__municipality__slug="fjordvik")
    assert set(gains.values_list("type", flat=True)) == set(GainType.values)
    assert gains.filter(status=GainStatus.REALISED).count() >= 2
    assert gains.filter(type=GainType.ECONOMIC, status=GainStatus.REALISED).exists()
    assert gains.filter(baseline_on__isnull=True).exists()  # young projects: not yet
    for gain in gains.exclude(baseline_on__isnull=True):
        assert gain.target_value is not None and gain.target_on > gain.baseline_on
        assert gain.owner.units.filter(pk=gain.project.owning_unit_id).exists()
        days = list(gain.measurements.values_list("measured_on", flat=True))
        assert all(gain.baseline_on < day <= today for day in days)
        # One at each interval (monthly, quarterly ...), never two in one.
        gaps = [(b - a).days for a, b in zip([gain.baseline_on, *days], days, strict=False)]
        assert all(27 <= gap <= 31 * gain.measurement_interval_months for gap in gaps)
    measured = gains.filter(measurements__isnull=False).distinct()
    spans = [
        (max(m.measured_on for m in g.measurements.all()) - g.baseline_on).days for g in measured
    ]
    assert max(spans) >= 330  # about a year of measurements
    assert measured.filter(measurement_interval_months=1).exists()
    assert measured.filter(measurement_interval_months=3).exists()
    # Each through the services: one trail entry per measurement.
    assert (
        GainEvent.objects.filter(kind=GainEvent.Kind.MEASURED, gain__in=gains).count()
        == Measurement.objects.filter(gain__in=gains).count()
    )


def test_one_project_is_behind_plan_and_explains_the_deviation():
    today = timezone.localdate()
    project = projects_demo.demo_project(gains_demo.BEHIND_PLAN)
    missed = project.gains.get(status=GainStatus.NOT_REALISED)
    assert missed.deviation == gains_demo.DEVIATION
    assert missed.target_on < today
    latest = missed.measurements.order_by("-measured_on").first()
    assert latest.value > missed.target_value  # fewer hours was the goal
    # The other gain lags the straight line from its baseline to its target.
    lagging = project.gains.get(status=GainStatus.REALISING)
    latest = lagging.measurements.order_by("-measured_on").first()
    share = Decimal((latest.measured_on - lagging.baseline_on).days) / Decimal(
        (lagging.target_on - lagging.baseline_on).days
    )
    on_plan = lagging.baseline_value + (lagging.target_value - lagging.baseline_value) * share
    assert latest.value < on_plan
    # A milestone overdue, and the project sent back a phase with the reason why.
    assert project.milestones.filter(planned_on__lt=today, reached_on__isnull=True).exists()
    back = project.events.filter(kind=E.PHASE).last()
    assert back.data["from_phase"] == "Implementere" and back.data["to_phase"] == "Teste"
    assert "5 av 14 bygg" in back.text
    # No other project is behind its plan.
    others = Gain.objects.filter(status=GainStatus.NOT_REALISED).exclude(project=project)
    assert not others.exists()


def test_two_projects_are_put_into_use_with_their_ideas_and_the_barometer_answers():
    adoptions = list(
        ProjectAdoption.objects.filter(project__municipality__slug="fjordvik").select_related(
            "project"
        )
    )
    assert len(adoptions) == 2
    assert {a.origin for a in adoptions} == {ValueOrigin.FIRST, ValueOrigin.INSPIRED}
    assert any(a.spread for a in adoptions)
    for adoption in adoptions:
        assert adoption.values() and adoption.put_into_use_on < timezone.localdate()
        ideas = Idea.objects.filter(project_link__project=adoption.project)
        assert ideas.exists()
        for idea in ideas:
            # Moved through the ideas' workflow, with the result as its public text.
            assert idea.status == IdeaStatus.IMPLEMENTED
            event = idea.events.get(to_status=IdeaStatus.IMPLEMENTED)
            assert event.public_text == adoption.public_text
            assert event.created_at.date() == adoption.put_into_use_on


def test_the_history_lies_in_the_past_and_in_order():
    now = timezone.now()
    for project in fjordvik_projects():
        start = project.events.get(kind=E.STARTED).created_at
        assert project.created_at == start
        assert start < now - datetime.timedelta(days=20)
        assert all(start <= e.created_at <= now for e in project.events.all())
        for idea in Idea.objects.filter(project_link__project=project):
            accepted = idea.events.filter(to_status=IdeaStatus.ACCEPTED).last().created_at
            assert idea.created_at < accepted < start
    oldest = min(p.created_at for p in fjordvik_projects())
    assert (now - oldest).days > 365


def test_the_public_pages_show_the_projects_and_their_gains(django_assert_max_num_queries):
    client = Client()
    client.get("/")  # the site's menus and settings, cached for every page after it
    for project in fjordvik_projects():
        # The same for a project with three gains measured monthly as for one without.
        with django_assert_max_num_queries(10):
            response = client.get(project.get_absolute_url())
        assert response.status_code == 200
        with django_assert_max_num_queries(1):
            assert project.name in client.get(project.get_absolute_url()).content.decode()
        html = response.content.decode()
        assert project.name in html
        for gain in project.gains.all():
            assert gain.indicator in html
        for participation in project.participations.select_related("unit"):
            assert participation.unit.name in html
        budget = f"{project.budget:,}"  # internal
        for written in (budget, budget.replace(",", " "), budget.replace(",", "&nbsp;")):
            assert written.replace(",", "") not in html and written not in html
        assert "Personvernkonsekvensvurdering" not in html  # the log is internal
    behind = projects_demo.demo_project(gains_demo.BEHIND_PLAN)
    html = client.get(behind.get_absolute_url()).content.decode()
    assert "Leverandøren fikk bare montert digitale låser" in html
    assert client.get("/en" + behind.get_absolute_url()).status_code == 200
    # The ideas behind a project say where they went.
    idea = Idea.objects.filter(project_link__project=behind).first()
    html = client.get(idea.get_absolute_url()).content.decode()
    assert behind.name in html and behind.get_absolute_url() in html


def test_running_the_demo_again_changes_nothing():
    def state():
        return {
            "projects": list(
                Project.objects.order_by("pk").values_list("pk", "slug", "phase_id", "created_at")
            ),
            "links": ProjectIdea.objects.count(),
            "units": ParticipatingUnit.objects.count(),
            "team": TeamMember.objects.count(),
            "milestones": list(Milestone.objects.order_by("pk").values_list("reached_on")),
            "adoptions": ProjectAdoption.objects.count(),
            "events": ProjectEvent.objects.count(),
            "gains": list(Gain.objects.order_by("pk").values_list("pk", "status")),
            "measurements": Measurement.objects.count(),
            "gain events": GainEvent.objects.count(),
            "idea events": IdeaEvent.objects.count(),
            "ideas": list(Idea.objects.order_by("pk").values_list("status", "status_changed_at")),
        }

    before = state()
    demo.seed()
    assert state() == before
