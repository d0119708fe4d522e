"""Every write to a project goes through a service that checks, records an event and
tells people on commit."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from ideas.models import IdeaEvent, IdeaStatus
from portal.actions import ActionNotAllowed
from projects import actions
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
from tests.factories import MunicipalityFactory, UnitFactory, UserFactory
from tests.ideas.triage_helpers import add_followers, add_votes, admin_staff_of
from tests.projects.helpers import accepted_idea, started_project

pytestmark = pytest.mark.django_db
E = ProjectEvent.Kind


@pytest.fixture(autouse=True)
def _in_english():
    """Refusals are matched by their English words."""
    with translation.override("en"):
        yield


@pytest.fixture
def unit():
    return UnitFactory(name="Helse og omsorg")


@pytest.fixture
def staff(unit):
    return admin_staff_of(unit, display_name="Siri Aasen")


def test_the_phases_are_ks_roadmap_in_order_and_in_two_languages():
    phases = list(Phase.objects.order_by("sort_order"))
    assert [p.name for p in phases] == [
        "Forberede",
        "Forstå behovene",
        "Utvikle ideer",
        "Teste",
        "Implementere",
        "Spre",
    ]
    assert [p.name_en for p in phases] == [
        "Prepare",
        "Understand the needs",
        "Develop ideas",
        "Test",
        "Implement",
        "Spread",
    ]


def test_start_links_the_ideas_records_and_tells_each_person_once(
    unit, staff, django_capture_on_commit_callbacks
):
    first, second = accepted_idea(unit), accepted_idea(unit)
    fan = UserFactory(email="fan@example.no")
    add_votes(first, [fan, UserFactory(email="supporter@example.no")])
    add_followers(second, [fan, UserFactory(email="follower@example.no")])
    add_votes(second, [staff])  # the person acting is not told
    with django_capture_on_commit_callbacks(execute=True):
        project = actions.project_start(
            ideas=[second, first], by=staff, name="Kaffebuss", summary="En buss til kaffen."
        )
    assert project.owning_unit == unit and project.municipality == unit.municipality
    assert project.owner == staff
    assert project.phase.slug == "forberede"
    assert project.slug == "kaffebuss"
    assert set(project.idea_links.values_list("idea_id", flat=True)) == {first.pk, second.pk}
    event = project.events.get()
    assert (event.kind, event.actor) == (E.STARTED, staff)
    assert event.data["ideas"] == sorted([first.reference, second.reference])
    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == sorted(
        {
            first.author.email,
            second.author.email,
            "fan@example.no",
            "supporter@example.no",
            "follower@example.no",
        }
    )
    to_fan = next(m for m in mail.outbox if m.to == ["fan@example.no"])
    assert "Kaffebuss" in to_fan.subject
    assert first.title in to_fan.body and second.title in to_fan.body
    assert "/prosjekter/kaffebuss/" in to_fan.body


def test_nothing_is_sent_when_the_start_is_refused(unit, staff, django_capture_on_commit_callbacks):
    idea = accepted_idea(unit)
    started_project(unit, by=staff, ideas=[idea])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ActionNotAllowed):
        actions.project_start(ideas=[idea], by=staff, name="Igjen", summary="Igjen.")
    assert mail.outbox == []
    assert Project.objects.count() == 1


@pytest.mark.parametrize(
    "status", [IdeaStatus.SUBMITTED, IdeaStatus.IN_REVIEW, IdeaStatus.REJECTED]
)
def test_only_accepted_ideas_become_projects(unit, staff, status):
    idea = accepted_idea(unit)
    idea.status = status
    idea.save()
    with pytest.raises(ActionNotAllowed, match="not accepted"):
        actions.project_start(ideas=[idea], by=staff, name="X", summary="Y.")
    assert not Project.objects.exists()


def test_ideas_of_two_municipalities_make_no_project(unit):
    elsewhere = UnitFactory(municipality=MunicipalityFactory())
    admin = UserFactory(is_superuser=True, is_staff=True)
    with pytest.raises(ActionNotAllowed, match="one municipality"):
        actions.project_start(
            ideas=[accepted_idea(unit), accepted_idea(elsewhere)], by=admin, name="X", summary="Y."
        )


def test_name_and_summary_are_required(unit, staff):
    with pytest.raises(ActionNotAllowed):
        actions.project_start(ideas=[accepted_idea(unit)], by=staff, name="  ", summary="Y.")
    with pytest.raises(ActionNotAllowed):
        actions.project_start(ideas=[accepted_idea(unit)], by=staff, name="X", summary="")


def test_two_projects_with_one_name_get_two_addresses(unit, staff):
    one = started_project(unit, by=staff, name="Kaffebuss")
    two = started_project(unit, by=staff, name="Kaffebuss")
    assert (one.slug, two.slug) == ("kaffebuss", "kaffebuss-2")


def test_phase_change_is_recorded_with_both_phases(unit, staff):
    project = started_project(unit, by=staff)
    test_phase = Phase.objects.get(slug="teste")
    actions.project_change_phase(project=project, by=staff, phase=test_phase, note="Klar.")
    project.refresh_from_db()
    assert project.phase == test_phase
    event = project.events.get(kind=E.PHASE)
    assert event.data == {"from_phase": "Forberede", "to_phase": "Teste"}
    assert event.text == "Klar."
    # The same phase again changes and records nothing.
    actions.project_change_phase(project=project, by=staff, phase=test_phase)
    assert project.events.filter(kind=E.PHASE).count() == 1


def test_milestones_are_added_and_reached(unit, staff):
    project = started_project(unit, by=staff)
    planned = timezone.localdate() + datetime.timedelta(days=30)
    milestone = actions.project_save_milestone(
        project=project, by=staff, title="Pilot starter", planned_on=planned
    )
    today = timezone.localdate()
    actions.project_save_milestone(
        project=project,
        by=staff,
        milestone=milestone,
        title="Pilot startet",
        planned_on=planned,
        reached_on=today,
    )
    milestone.refresh_from_db()
    assert (milestone.title, milestone.reached_on) == ("Pilot startet", today)
    kinds = list(project.events.values_list("kind", flat=True))
    assert kinds == [E.STARTED, E.MILESTONE_ADDED, E.MILESTONE_CHANGED]
    with pytest.raises(ActionNotAllowed, match="future"):
        actions.project_save_milestone(
            project=project,
            by=staff,
            title="Ferdig",
            planned_on=planned,
            reached_on=today + datetime.timedelta(days=1),
        )


def test_another_projects_milestone_cannot_be_changed_through_this_one(unit, staff):
    mine, theirs = started_project(unit, by=staff), started_project(unit, by=staff)
    milestone = Milestone.objects.create(
        project=theirs, title="Deres", planned_on=timezone.localdate()
    )
    with pytest.raises(ActionNotAllowed):
        actions.project_save_milestone(
            project=mine,
            by=staff,
            milestone=milestone,
            title="Min",
            planned_on=timezone.localdate(),
        )
    milestone.refresh_from_db()
    assert milestone.title == "Deres"


def test_units_of_other_municipalities_take_part_with_a_contact(unit, staff):
    project = started_project(unit, by=staff)
    neighbour = UnitFactory(name="Oppvekst Nabo", municipality=MunicipalityFactory())
    contact = UserFactory()
    actions.project_add_unit(
        project=project, by=staff, unit=neighbour, contact=contact, role="Skolehelse"
    )
    participation = ParticipatingUnit.objects.get(project=project)
    assert (participation.unit, participation.contact) == (neighbour, contact)
    with pytest.raises(ActionNotAllowed, match="already takes part"):
        actions.project_add_unit(project=project, by=staff, unit=neighbour, contact=contact)
    with pytest.raises(ActionNotAllowed, match="owns the project"):
        actions.project_add_unit(project=project, by=staff, unit=unit, contact=contact)
    actions.project_remove_unit(project=project, by=staff, participation=participation)
    assert not ParticipatingUnit.objects.exists()
    assert list(project.events.values_list("kind", flat=True))[-2:] == [
        E.UNIT_ADDED,
        E.UNIT_REMOVED,
    ]


def test_team_members_and_log_entries(unit, staff):
    project = started_project(unit, by=staff)
    person = UserFactory()
    member = actions.project_add_member(project=project, by=staff, user=person, role="Designer")
    with pytest.raises(ActionNotAllowed):
        actions.project_add_member(project=project, by=staff, user=person)
    actions.project_log(project=project, by=person, text="Møte med brukerne i dag.")
    with pytest.raises(ActionNotAllowed):
        actions.project_log(project=project, by=person, text="   ")
    actions.project_remove_member(project=project, by=staff, member=member)
    assert not TeamMember.objects.exists()
    note = project.events.get(kind=E.NOTE)
    assert (note.actor, note.text) == (person, "Møte med brukerne i dag.")


def test_a_unit_or_member_of_another_project_cannot_be_removed_through_this_one(unit, staff):
    mine = started_project(unit, by=staff)
    theirs = started_project(unit, by=staff, name="Nattbuss")
    neighbour, person = UnitFactory(name="Kultur"), UserFactory(display_name="Ola Designer")
    participation = actions.project_add_unit(
        project=theirs, by=staff, unit=neighbour, contact=person
    )
    member = actions.project_add_member(project=theirs, by=staff, user=person)

    with pytest.raises(ActionNotAllowed, match="takes part in another project"):
        actions.project_remove_unit(project=mine, by=staff, participation=participation)
    with pytest.raises(ActionNotAllowed, match="Not a member of this project"):
        actions.project_remove_member(project=mine, by=staff, member=member)
    assert ParticipatingUnit.objects.filter(pk=participation.pk).exists()
    assert TeamMember.objects.filter(pk=member.pk).exists()
    assert not mine.events.filter(kind__in=[E.UNIT_REMOVED, E.MEMBER_REMOVED]).exists()

    # Removed through their own project, the trail names what left.
    actions.project_remove_unit(project=theirs, by=staff, participation=participation)
    actions.project_remove_member(project=theirs, by=staff, member=member)
    assert theirs.events.get(kind=E.UNIT_REMOVED).data == {"unit": "Kultur"}
    assert theirs.events.get(kind=E.MEMBER_REMOVED).data == {"person": "Ola Designer"}


def test_editing_details_records_what_changed(unit, staff):
    project = started_project(unit, by=staff)
    actions.project_edit(project=project, by=staff, name="Ny buss", budget=250000)
    project.refresh_from_db()
    assert (project.name, project.budget, project.slug) == (
        "Ny buss",
        250000,
        "kaffebuss-for-eldre",
    )
    assert project.events.get(kind=E.EDITED).data == {"fields": ["budget", "name"]}
    with pytest.raises(ActionNotAllowed):
        actions.project_edit(project=project, by=staff, budget=-1)


def test_put_into_use_moves_accepted_ideas_and_keeps_the_barometer(
    unit, staff, django_capture_on_commit_callbacks
):
    accepted, rejected = accepted_idea(unit), accepted_idea(unit)
    project = started_project(unit, by=staff, ideas=[accepted, rejected])
    rejected.status = IdeaStatus.REJECTED
    rejected.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        adoption = actions.project_put_into_use(
            project=project,
            by=staff,
            public_text="Bussen går hver torsdag.",
            origin=ValueOrigin.INSPIRED,
            source_url="https://example.no/kaffebuss",
            spread=True,
            values=["value_quality", "value_avoided_costs"],
        )
    accepted.refresh_from_db()
    rejected.refresh_from_db()
    assert accepted.status == IdeaStatus.IMPLEMENTED
    assert rejected.status == IdeaStatus.REJECTED
    transition = IdeaEvent.objects.get(idea=accepted, to_status=IdeaStatus.IMPLEMENTED)
    assert transition.public_text == "Bussen går hver torsdag."
    assert (adoption.origin, adoption.spread) == (ValueOrigin.INSPIRED, True)
    assert (adoption.value_quality, adoption.value_efficiency) == (True, False)
    assert adoption.value_avoided_costs and not adoption.value_working_environment
    assert project.events.get(kind=E.PUT_INTO_USE).data["ideas"] == [accepted.reference]
    # The author heard through the ideas' own workflow.
    assert [m.to for m in mail.outbox] == [[accepted.author.email]]
    with pytest.raises(ActionNotAllowed, match="already"):
        actions.project_put_into_use(
            project=project, by=staff, public_text="Igjen.", origin=ValueOrigin.FIRST
        )


def test_put_into_use_needs_a_result_and_an_inspirations_source(unit, staff):
    project = started_project(unit, by=staff)
    with pytest.raises(ActionNotAllowed, match="Describe the result"):
        actions.project_put_into_use(
            project=project, by=staff, public_text=" ", origin=ValueOrigin.FIRST
        )
    with pytest.raises(ActionNotAllowed, match="inspired"):
        actions.project_put_into_use(
            project=project, by=staff, public_text="Ok.", origin=ValueOrigin.INSPIRED
        )
    assert not ProjectAdoption.objects.exists()


def test_put_into_use_changes_nothing_if_one_idea_may_not_move(unit, staff):
    # The owner may manage the project, but not act on another unit's idea.
    other = UnitFactory()
    owner = admin_staff_of(other)
    idea = accepted_idea(unit)
    project = started_project(unit, by=staff, ideas=[idea], owner=owner)
    with pytest.raises(PermissionDenied):
        actions.project_put_into_use(
            project=project, by=owner, public_text="Ok.", origin=ValueOrigin.FIRST
        )
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.ACCEPTED
    assert not ProjectAdoption.objects.exists()


# --- The database keeps the invariants, whoever writes ---------------------------------


def test_an_idea_is_in_one_project_at_most(unit, staff):
    idea = accepted_idea(unit)
    project = started_project(unit, by=staff, ideas=[idea])
    other = started_project(unit, by=staff)
    with pytest.raises(IntegrityError), transaction.atomic():
        other.idea_links.create(idea=idea)
    assert ProjectIdea.objects.get(idea=idea).project == project


@pytest.mark.parametrize(
    "fields",
    [
        {"origin": ValueOrigin.INSPIRED, "source_url": ""},
        {"origin": ValueOrigin.FIRST, "source_url": "https://example.no"},
        {"origin": ValueOrigin.FIRST, "source_url": "", "public_text": ""},
    ],
)
def test_the_barometer_answers_must_agree(unit, staff, fields):
    project = started_project(unit, by=staff)
    values = {"public_text": "Ok.", **fields}
    with pytest.raises(IntegrityError), transaction.atomic():
        ProjectAdoption.objects.create(
            project=project, put_into_use_on=timezone.localdate(), **values
        )


def test_negative_budgets_and_doubled_units_are_refused_by_the_database(unit, staff):
    project = started_project(unit, by=staff)
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.filter(pk=project.pk).update(budget=-5)
    neighbour, contact = UnitFactory(), UserFactory()
    ParticipatingUnit.objects.create(project=project, unit=neighbour, contact=contact)
    with pytest.raises(IntegrityError), transaction.atomic():
        ParticipatingUnit.objects.create(project=project, unit=neighbour, contact=contact)
