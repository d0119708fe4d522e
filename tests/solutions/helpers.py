"""Builders shared by the solution library tests."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.models import Group

from gains import actions as gain_actions
from gains.models import GainStatus
from portal.models import Municipality
from projects import actions as project_actions
from solutions import actions
from solutions.models import SolutionSource
from tests.factories import UserFactory
from tests.gains.helpers import days_ago, quality_gain
from tests.ideas.triage_helpers import with_admin_access
from tests.projects.helpers import started_project

DETAILS = {
    "title": "Digitalt tilsyn om natten",
    "problem": "Nattevakter vekker eldre for å se til dem.",
    "what_was_done": "Sensorer varsler når noen trenger hjelp.",
    "cost": "400 000 kr",
    "time_taken": "Ett år",
    "competence": "Velferdsteknologi",
    "technology": "Sensorer",
    "procurement_route": "Felles rammeavtale",
    "contact_name": "Siri Aasen",
    "contact_email": "siri@fjordvik.kommune.example.no",
    "reuse_terms": "call_us",
    "kind": "welfare_technology",
}


def put_into_use_project(unit, *, by, name="Nattilsyn"):
    project = started_project(unit, by=by, name=name)
    project_actions.project_put_into_use(
        project=project, by=by, public_text="I bruk", origin="first"
    )
    project.refresh_from_db()
    return project


def realised_gain(project, *, by):
    """A gain with a baseline and a measurement, marked realised."""
    gain = quality_gain(project, by=by)
    gain_actions.gain_record_measurement(
        gain=gain, by=by, value=Decimal("90"), measured_on=days_ago(10), source="Turnus"
    )
    gain_actions.gain_change_status(gain=gain, by=by, status=GainStatus.REALISED)
    return gain


def editor_of(municipality: Municipality):
    """A member of the municipality's editors group (made here if it has none)."""
    if municipality.editors_group_id is None:
        municipality.editors_group = Group.objects.create(name=f"{municipality.slug} editors")
        municipality.save(update_fields=["editors_group"])
    user = with_admin_access(UserFactory())
    user.groups.add(municipality.editors_group)
    return user


def admin_of(municipality: Municipality):
    if municipality.administrators_group_id is None:
        municipality.administrators_group = Group.objects.create(name=f"{municipality.slug} admins")
        municipality.save(update_fields=["administrators_group"])
    user = with_admin_access(UserFactory())
    user.groups.add(municipality.administrators_group)
    return user


def draft_from(project, *, by, **details):
    return actions.solution_create(
        municipality=project.municipality,
        by=by,
        source=SolutionSource.PROJECT,
        project=project,
        **{**DETAILS, **details},
    )


def published_from(project, *, by, reviewer, **details):
    solution = draft_from(project, by=by, **details)
    actions.solution_step(solution=solution, by=by, step="submit")
    actions.solution_step(solution=solution, by=reviewer, step="publish")
    return solution
