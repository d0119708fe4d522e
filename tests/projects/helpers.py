"""Builders shared by the project tests."""

from __future__ import annotations

from ideas.models import IdeaStatus
from projects.actions import project_start
from tests.factories import IdeaFactory
from tests.ideas.triage_helpers import admin_staff_of


def accepted_idea(unit, **fields):
    return IdeaFactory(owning_unit=unit, status=IdeaStatus.ACCEPTED, **fields)


def started_project(unit, *, by=None, ideas=None, name="Kaffebuss for eldre", **fields):
    """A project started by staff of `unit` from one accepted idea (or `ideas`)."""
    by = by or admin_staff_of(unit)
    ideas = ideas or [accepted_idea(unit)]
    return project_start(
        ideas=ideas,
        by=by,
        name=name,
        summary=fields.pop("summary", "En buss som henter eldre til kaffen."),
        **fields,
    )
