"""Who may do what with solutions. One place, tested as a role matrix
(tests/solutions/test_permissions.py).

Roles per municipality come from `portal.roles` (docs/regional.md):
- **write** a solution (create, edit, add documents, submit, withdraw): those who work
  for the owning municipality: its unit staff, its administrators, its editors;
- **review** it (publish, return with a comment): the owning municipality's editors and
  administrators (Wagtail's editors group and administrators group of the municipality),
  and platform administrators. Unit staff write, editors decide what is public;
- **adopt** a published solution: staff of a unit in *another* municipality (the new
  project is owned by one of their units).
Everyone reads published solutions; nobody else reads the rest.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from ideas import permissions as idea_permissions
from portal import roles
from portal.models import Municipality, Unit, User
from solutions.models import Solution, SolutionStatus

AnyUser = User | AnonymousUser


def _active(user: AnyUser) -> bool:
    return bool(user.is_authenticated and user.is_active)


def edited_municipality_ids(user: AnyUser) -> frozenset[int]:
    """The municipalities whose editors group the user is in (kept for the request)."""
    if not _active(user):
        return frozenset()
    cached = getattr(user, "_edited_municipality_ids", None)
    if cached is None:
        cached = frozenset(
            Municipality.objects.filter(editors_group__user=user).values_list("pk", flat=True)
        )
        user._edited_municipality_ids = cached  # type: ignore[union-attr]
    return cached


def writer_municipality_ids(user: AnyUser) -> frozenset[int]:
    """Municipalities whose solutions the user may write: staff, administrators, editors."""
    return roles.staff_municipality_ids(user) | edited_municipality_ids(user)


def reviewer_municipality_ids(user: AnyUser) -> frozenset[int]:
    return roles.administered_municipality_ids(user) | edited_municipality_ids(user)


def can_open_staff_screens(user: AnyUser) -> bool:
    return roles.is_platform_admin(user) or bool(writer_municipality_ids(user))


def can_write_for(user: AnyUser, municipality_id: int) -> bool:
    return roles.is_platform_admin(user) or municipality_id in writer_municipality_ids(user)


def can_write(user: AnyUser, solution: Solution) -> bool:
    return can_write_for(user, solution.municipality_id)


def can_review(user: AnyUser, solution: Solution) -> bool:
    return roles.is_platform_admin(user) or (
        solution.municipality_id in reviewer_municipality_ids(user)
    )


def can_view_staff(user: AnyUser, solution: Solution) -> bool:
    """The staff page of a solution: its writers and reviewers."""
    return can_write(user, solution) or can_review(user, solution)


def adopting_units(user: AnyUser, solution: Solution) -> list[Unit]:
    """The units that could own the project if `user` adopted `solution`: the user's
    active units outside the owning municipality (admins: any such unit)."""
    if not _active(user):
        return []
    units = Unit.objects.active().exclude(municipality_id=solution.municipality_id)
    if not idea_permissions.is_admin(user):
        units = units.filter(pk__in=idea_permissions.staff_unit_ids(user))
    return list(units.select_related("municipality").order_by("municipality__name", "name"))


def can_adopt(user: AnyUser, solution: Solution) -> bool:
    """May adopt: the solution is published and there is a unit in another municipality
    that could own the project: one the user is staff of (a platform administrator: any
    active unit; on a single municipality's platform there is none, so no one adopts)."""
    if solution.status != SolutionStatus.PUBLISHED or not _active(user):
        return False
    if not idea_permissions.is_admin(user) and not (
        roles.staff_municipality_ids(user) - {solution.municipality_id}
    ):
        return False
    return bool(adopting_units(user, solution))
