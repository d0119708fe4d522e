"""The public project page."""

from __future__ import annotations

import os
from types import SimpleNamespace
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_safe

from ideas.attachments import file_response
from projects import extensions, fragments, permissions, selectors
from projects.models import ProjectDocument


@require_safe
def project_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The same for everyone (nothing on it is anyone's own), so rendered once per
    language and served from the cache until the project changes."""
    page = fragments.project_page(slug, lambda: _render(slug))
    if page["kind"] == "missing":
        raise Http404
    # Sections of apps built on projects (gains), each cached by its app (extensions).
    content = extensions.with_sections(page["content"], page["project_id"], request)
    return render(request, "projects/project_detail.html", {**page, "content": content})


def _render(slug: str) -> dict[str, Any]:
    project = selectors.public_project(slug)
    if project is None:
        return {"kind": "missing"}
    context = {
        "project": project,
        "steps": selectors.phase_steps(project.phase),
        "milestones": list(project.milestones.all()),
        "participations": project.public_participations,
        "documents": project.public_documents,
        "ideas": [link.idea for link in project.public_idea_links],
        "adoption": getattr(project, "adoption", None),
    }
    return {
        "kind": "page",
        "project_id": project.pk,
        "head": {"name": project.name, "summary": project.summary},
        "content": render_to_string("projects/includes/detail.html", context),
    }


@require_safe
def document_download(request: HttpRequest, slug: str, document_id: int) -> HttpResponse:
    """A file kept in the private folder: to anyone if it is marked public, else only
    to those who may see the project's internal documents; checked on every request."""
    document = get_object_or_404(
        ProjectDocument.objects.select_related("project"),
        pk=document_id,
        project__slug=slug,
        document__isnull=True,
    )
    if not (document.is_public or permissions.can_view_internal(request.user, document.project)):
        raise Http404
    sent = SimpleNamespace(
        file=document.file,
        kind="file",  # always downloaded, never shown in the browser
        download_name=os.path.basename(document.file.name),
        content_type="application/octet-stream",
    )
    return file_response(sent, cache_control="private, no-store")  # type: ignore[arg-type]
