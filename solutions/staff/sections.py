"""What the solution library adds to a project's staff page (`projects.extensions`)."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string

from projects.models import Project
from solutions import permissions
from solutions.models import Adoption, Solution


def staff_project_section(project: Project, request: HttpRequest) -> str:
    """The solutions shared from the project, the one it was adopted from, and (to those
    who may) a way to share it once it is put into use."""
    shared = list(Solution.objects.filter(project=project).order_by("pk"))
    adopted_from = (
        Adoption.objects.filter(project=project).select_related("solution__municipality").first()
    )
    can_share = project.is_put_into_use and permissions.can_write_for(
        request.user, project.municipality_id
    )
    if not (shared or adopted_from or can_share):
        return ""
    return render_to_string(
        "solutions/admin/project_section.html",
        {
            "project": project,
            "shared": shared,
            "adopted_from": adopted_from,
            "can_share": can_share,
        },
        request,
    )
