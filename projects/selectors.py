"""Reads for the project pages, shared by the public page, the idea page's section and
the staff screens, so they agree. Selectors return data, never HTML."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from ideas import permissions as idea_permissions
from ideas.models import Idea
from portal.models import User
from projects.models import (
    Milestone,
    ParticipatingUnit,
    Phase,
    Project,
    ProjectDocument,
    ProjectEvent,
    ProjectIdea,
)


@dataclass(frozen=True)
class PhaseStep:
    phase: Phase
    state: str  # "done", "current" or "todo"


def phase_steps(current: Phase) -> list[PhaseStep]:
    """The road a project walks, with where this one is on it. Inactive phases are left
    out unless the project is in one."""
    phases = [p for p in Phase.objects.order_by("sort_order", "pk") if p.is_active or p == current]
    steps = []
    for phase in phases:
        if phase.pk == current.pk:
            state = "current"
        else:
            state = "done" if phase.sort_order < current.sort_order else "todo"
        steps.append(PhaseStep(phase, state))
    return steps


def public_project(slug: str) -> Project | None:
    """A project as the public page shows it: no budget, log or internal documents are
    read (the page could not leak what it never had). Its ideas: public ones only."""
    return (
        Project.objects.filter(slug=slug)
        .select_related("phase", "owning_unit", "municipality", "adoption")
        .defer("budget")
        .prefetch_related(
            Prefetch("milestones", queryset=Milestone.objects.order_by("planned_on", "pk")),
            Prefetch(
                "participations",
                queryset=ParticipatingUnit.objects.select_related("unit", "unit__municipality"),
                to_attr="public_participations",
            ),
            Prefetch(
                "documents",
                queryset=ProjectDocument.objects.filter(is_public=True).select_related("document"),
                to_attr="public_documents",
            ),
            Prefetch(
                "idea_links",
                queryset=ProjectIdea.objects.filter(idea__in=Idea.objects.public())
                .select_related("idea")
                .order_by("idea__reference"),
                to_attr="public_idea_links",
            ),
        )
        .first()
    )


@dataclass(frozen=True)
class IdeaProject:
    """What an idea page says of the project carrying the idea on."""

    name: str
    url: str
    phase: Phase
    put_into_use: bool


def project_of_idea(idea_id: int) -> IdeaProject | None:
    """One query: the project that carries the idea on, with its phase."""
    link = (
        ProjectIdea.objects.filter(idea_id=idea_id)
        .select_related("project", "project__phase", "project__adoption")
        .first()
    )
    if link is None:
        return None
    project = link.project
    return IdeaProject(
        project.name, project.get_absolute_url(), project.phase, project.is_put_into_use
    )


# --- Staff --------------------------------------------------------------------------------


def staff_projects(user: User) -> QuerySet[Project]:
    """The projects in the staff list: all for admins, else those the person works on."""
    projects = Project.objects.all()
    if not idea_permissions.is_admin(user):
        projects = projects.involving(user)
    return projects.select_related("phase", "owning_unit", "owner", "adoption").order_by(
        "-updated_at", "-pk"
    )


def staff_project(pk: int) -> Project:
    return (
        Project.objects.select_related("phase", "owning_unit", "owner", "municipality", "adoption")
        .prefetch_related(
            "milestones",
            Prefetch(
                "participations",
                queryset=ParticipatingUnit.objects.select_related(
                    "unit", "unit__municipality", "contact"
                ),
            ),
            "team__user",
            Prefetch("documents", queryset=ProjectDocument.objects.select_related("document")),
            Prefetch(
                "idea_links",
                queryset=ProjectIdea.objects.select_related("idea").order_by("idea__reference"),
            ),
        )
        .get(pk=pk)
    )


def history(project: Project) -> QuerySet[ProjectEvent]:
    return project.events.select_related("actor").order_by("created_at", "pk")
