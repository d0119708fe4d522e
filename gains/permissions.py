"""Who may do what with gains. One place, tested as a role matrix
(tests/gains/test_permissions.py).

- Define, edit, record the baseline of and change the status of gains: those who manage
  the project (staff of the owning unit, the project owner, admins).
- Record measurements: those, the contacts of the participating units, and the gain
  owner (the line manager who answers for it).
- Read the realisation plan: everyone who works on the project (projects' rule).
Everyone else reads the public project page only.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from gains.models import Gain
from portal.models import User
from projects import permissions as project_permissions
from projects.models import Project

AnyUser = User | AnonymousUser


def can_define(user: AnyUser, project: Project) -> bool:
    return project_permissions.can_manage(user, project)


def can_record(user: AnyUser, gain: Gain) -> bool:
    if can_define(user, gain.project):
        return True
    if not (user.is_authenticated and user.is_active):
        return False
    return gain.owner_id == user.pk or gain.project.participations.filter(contact=user).exists()


def can_view_plan(user: AnyUser, project: Project) -> bool:
    return project_permissions.can_contribute(user, project)
