"""What the projects app adds to an idea's triage page (`ideas.extensions`)."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string

from ideas.models import Idea, IdeaStatus
from projects import permissions
from projects.models import ProjectIdea


def triage_project_section(idea: Idea, request: HttpRequest) -> str:
    """The project carrying the idea on, or (to those who may) a way to start one."""
    link = ProjectIdea.objects.filter(idea=idea).select_related("project", "project__phase").first()
    can_start = (
        link is None
        and idea.status == IdeaStatus.ACCEPTED
        and permissions.can_start_from(request.user, [idea])
    )
    if link is None and not can_start:
        return ""
    return render_to_string(
        "projects/admin/triage_section.html",
        {
            "idea": idea,
            "project": link.project if link else None,
            "can_start": can_start,
            "can_open": link is not None and permissions.can_contribute(request.user, link.project),
        },
        request,
    )
