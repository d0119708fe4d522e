"""What the gains app adds to the staff project screen (`projects.extensions`)."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string

from gains import permissions, selectors
from projects.models import Project


def staff_project_section(project: Project, request: HttpRequest) -> str:
    """The gains in short, with a link to the realisation plan."""
    if not permissions.can_view_plan(request.user, project):
        return ""
    return render_to_string(
        "gains/admin/project_section.html",
        {"project": project, "plan": selectors.realisation_plan(project.pk)},
        request,
    )
