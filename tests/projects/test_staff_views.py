"""The staff screens at work: starting a project from an accepted idea, editing it,
and bad input coming back with everything typed kept."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from ideas.models import IdeaStatus
from projects.models import Phase, Project, ProjectAdoption, ProjectEvent
from tests.factories import UnitFactory, UserFactory
from tests.ideas.triage_helpers import add_followers, admin_staff_of
from tests.projects.helpers import accepted_idea, started_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit():
    return UnitFactory(name="Helse og omsorg")


@pytest.fixture
def staff(unit):
    return admin_staff_of(unit)


def test_staff_start_a_project_from_the_triage_page(
    client, unit, staff, django_capture_on_commit_callbacks
):
    idea = accepted_idea(unit, title="Kaffebuss")
    add_followers(idea, [UserFactory(email="folger@example.no")])
    client.force_login(staff)
    form = client.get(reverse("projects_staff:start") + f"?idea={idea.pk}")
    assert form.context["form"].initial["ideas"] == [str(idea.pk)]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("projects_staff:start"),
            {"ideas": [idea.pk], "name": "Kaffebussen", "summary": "Buss til kaffen."},
        )
    project = Project.objects.get()
    assert response["Location"] == reverse("projects_staff:project", args=[project.pk])
    assert project.owner == staff
    assert {m.to[0] for m in mail.outbox} == {idea.author.email, "folger@example.no"}
    triage = client.get(reverse("ideas_triage:idea", args=[idea.pk])).content.decode()
    assert "Kaffebussen" in triage and reverse("projects_staff:start") not in triage


def test_bad_input_keeps_what_was_typed(client, unit, staff):
    idea = accepted_idea(unit)
    client.force_login(staff)
    response = client.post(
        reverse("projects_staff:start"),
        {"ideas": [idea.pk], "name": "", "summary": "Min lange tekst som ikke må forsvinne."},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Min lange tekst som ikke må forsvinne." in html
    assert not Project.objects.exists()


def test_an_idea_of_another_unit_cannot_be_chosen(client, unit, staff):
    foreign = accepted_idea(UnitFactory())
    client.force_login(staff)
    response = client.post(
        reverse("projects_staff:start"), {"ideas": [foreign.pk], "name": "X", "summary": "Y."}
    )
    assert response.status_code == 400
    assert not Project.objects.exists()


def test_the_project_page_changes_phase_and_puts_into_use(client, unit, staff):
    idea = accepted_idea(unit)
    project = started_project(unit, by=staff, ideas=[idea])
    client.force_login(staff)
    url = lambda action: reverse("projects_staff:action", args=[project.pk, action])  # noqa: E731
    client.post(url("phase"), {"phase-phase": Phase.objects.get(slug="implementere").pk})
    project.refresh_from_db()
    assert project.phase.slug == "implementere"
    bad = client.post(
        url("put_into_use"),
        {
            "put_into_use-public_text": "Bussen går.",
            "put_into_use-put_into_use_on": "2026-12-01",
            "put_into_use-origin": "inspired",
        },
    )
    assert bad.status_code == 400 and "Bussen går." in bad.content.decode()
    client.post(
        url("put_into_use"),
        {
            "put_into_use-public_text": "Bussen går.",
            "put_into_use-put_into_use_on": "2026-12-01",
            "put_into_use-origin": "inspired",
            "put_into_use-source_url": "https://example.no/buss",
            "put_into_use-values": ["value_quality", "value_working_environment"],
        },
    )
    adoption = ProjectAdoption.objects.get(project=project)
    assert adoption.value_quality and adoption.value_working_environment
    assert not adoption.value_efficiency
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.IMPLEMENTED
    page = client.get(reverse("projects_staff:project", args=[project.pk]))
    assert "put_into_use" not in page.context["forms"]


def test_a_milestone_is_chosen_for_changing(client, unit, staff):
    project = started_project(unit, by=staff)
    milestone = project.milestones.create(title="Pilot", planned_on="2027-01-10")
    client.force_login(staff)
    page = client.get(
        reverse("projects_staff:project", args=[project.pk]) + f"?milestone={milestone.pk}"
    )
    assert page.context["forms"]["milestone"].initial["title"] == "Pilot"
    client.post(
        reverse("projects_staff:action", args=[project.pk, "milestone"]),
        {
            "milestone-milestone": milestone.pk,
            "milestone-title": "Pilot",
            "milestone-planned_on": "2027-01-10",
            "milestone-reached_on": "2026-12-01",
        },
    )
    milestone.refresh_from_db()
    assert str(milestone.reached_on) == "2026-12-01"
    assert project.events.filter(kind=ProjectEvent.Kind.MILESTONE_CHANGED).exists()
