"""Which municipalities a person works for, and in what role (issue 13, docs/regional.md).

One account works across the region; roles are per municipality:

- **staff** of a municipality: listed in one of its active units (`Unit.staff`);
- **administrator** of a municipality: a member of its administrators group
  (`Municipality.administrators_group`, made by `portal.services.municipality_groups_update`).
  Administrators manage the municipality's units, staff memberships and routing rules,
  and its pages, images and documents through the group's Wagtail permissions;
- **platform administrator**: a superuser, everywhere.

Each answer is read once per request and kept on the user object, as
`ideas.permissions.staff_unit_ids` does.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Model

from portal.models import Municipality, Unit, User

AnyUser = User | AnonymousUser


def is_platform_admin(user: AnyUser) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


def administered_municipality_ids(user: AnyUser) -> frozenset[int]:
    """The municipalities the user administers (none for inactive or anonymous users)."""
    if not (user.is_authenticated and user.is_active):
        return frozenset()
    cached = getattr(user, "_administered_municipality_ids", None)
    if cached is None:
        cached = frozenset(
            Municipality.objects.filter(administrators_group__user=user).values_list(
                "pk", flat=True
            )
        )
        user._administered_municipality_ids = cached  # type: ignore[union-attr]
    return cached


def is_municipality_admin(user: AnyUser, municipality_id: int | None = None) -> bool:
    """Administrator of the given municipality, or of any when none is given."""
    ids = administered_municipality_ids(user)
    return bool(ids) if municipality_id is None else municipality_id in ids


def staff_municipality_ids(user: AnyUser) -> frozenset[int]:
    """The municipalities the user works for: their active units' and those they
    administer, in one query. Platform administrators are not listed: they see all."""
    if not (user.is_authenticated and user.is_active):
        return frozenset()
    cached = getattr(user, "_staff_municipality_ids", None)
    if cached is None:
        # Unordered: SQLite refuses ORDER BY inside a UNION's parts.
        units = (
            Unit.objects.filter(staff=user, is_active=True)
            .order_by()
            .values_list("municipality_id", flat=True)
        )
        administered = (
            Municipality.objects.filter(administrators_group__user=user)
            .order_by()
            .values_list("pk", flat=True)
        )
        cached = frozenset(units.union(administered))
        user._staff_municipality_ids = cached  # type: ignore[union-attr]
    return cached


def manages(user: AnyUser, instance: Model) -> bool:
    """May manage `instance` (a unit, a routing rule: anything with a `municipality_id`)
    as a platform administrator or an administrator of its municipality."""
    if is_platform_admin(user):
        return True
    municipality_id = getattr(instance, "municipality_id", None)
    return municipality_id is not None and is_municipality_admin(user, municipality_id)
