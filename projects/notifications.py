"""Who is told when a project starts from their idea. Every e-mail is queued on commit
(`portal.emails.queue_email`), rendered now in the language of the person acting."""

from __future__ import annotations

from collections.abc import Sequence

from ideas.models import Idea, Vote
from ideas.notifications import idea_audience
from portal.absolute_urls import base_url
from portal.emails import queue_email
from portal.models import User
from projects.models import Project


def supporter_emails(idea: Idea) -> set[str]:
    """Active supporters of a public idea (nobody may hear of a hidden one)."""
    if idea.is_hidden:
        return set()
    return set(
        Vote.objects.filter(idea=idea, voter__is_active=True).values_list("voter__email", flat=True)
    )


def project_started_audience(ideas: Sequence[Idea], *, exclude: User | None = None) -> dict:
    """Each recipient's e-mail address, with the ideas of theirs the project carries on:
    the authors, followers (`ideas.notifications.idea_audience`) and supporters of the
    ideas, once each, minus the person acting."""
    audience: dict[str, list[Idea]] = {}
    for idea in ideas:
        emails = set(idea_audience(idea, exclude=exclude)) | supporter_emails(idea)
        if exclude is not None:
            emails.discard(exclude.email)
        for email in emails:
            audience.setdefault(email, []).append(idea)
    return audience


def notify_project_started(project: Project, ideas: Sequence[Idea], *, exclude: User) -> int:
    """One e-mail per person, naming their ideas. Returns how many were queued."""
    audience = project_started_audience(ideas, exclude=exclude)
    for email, their_ideas in sorted(audience.items()):
        queue_email(
            template="projects/emails/project_started",
            context={"project": project, "ideas": their_ideas, "base_url": base_url()},
            to=[email],
        )
    return len(audience)
