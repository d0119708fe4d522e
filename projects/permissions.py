"""Who may do what with projects. One place, tested as a role matrix
(tests/projects/test_permissions.py).

Roles: anonymous, citizen, editor (pages only), staff of another unit, the contact of a
participating unit (or a team member), staff of the owning unit (or the project owner),
admin. Everyone may read the public project page; the rest is for the people below.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser

from ideas import permissions as idea_permissions
from ideas.models import Idea, IdeaStatus
from portal.models import Unit, User
from projects.models import Project

AnyUser = User | AnonymousUser


def _active(user: AnyUser) -> bool:
    return bool(user.is_authenticated and user.is_active)


def can_start_from(user: AnyUser, ideas: Iterable[Idea]) -> bool:
    """May start a project from these ideas: whoever may act on every one of them (staff
    of their owning units, or admins), when each is accepted and not in a project yet."""
    ideas = list(ideas)
    return bool(ideas) and all(
        idea.status == IdeaStatus.ACCEPTED
        and not idea.is_hidden
        and idea_permissions.can_act_on(user, idea)
        for idea in ideas
    )


def may_own(user: AnyUser, unit: Unit) -> bool:
    """May make `unit` the owning unit of a project: its staff, and admins."""
    return idea_permissions.is_admin(user) or (
        _active(user) and unit.pk in idea_permissions.staff_unit_ids(user)
    )


def can_manage(user: AnyUser, project: Project) -> bool:
    """May change anything on the project: staff of the owning unit, the project owner,
    and admins."""
    if idea_permissions.is_admin(user):
        return True
    if not _active(user):
        return False
    return project.owner_id == user.pk or project.owning_unit_id in (
        idea_permissions.staff_unit_ids(user)
    )


def _takes_part(user: AnyUser, project: Project) -> bool:
    if not _active(user):
        return False
    return (
        project.participations.filter(contact=user).exists()
        or project.team.filter(user=user).exists()
    )


def can_contribute(user: AnyUser, project: Project) -> bool:
    """May read the project's internal page and write in its log: those who manage it,
    the contacts of the participating units, and team members."""
    return can_manage(user, project) or _takes_part(user, project)


def can_view_internal(user: AnyUser, project: Project) -> bool:
    """Budget, internal log and internal documents: the same people as contribute."""
    return can_contribute(user, project)


def can_open_project_list(user: AnyUser) -> bool:
    """The staff list of projects: unit staff and admins (each sees their own)."""
    return _active(user) and idea_permissions.is_triage_staff(user)
