"""Who may do what with ideas. One place, tested as a role matrix.

Roles: anonymous, citizen (any logged-in user), organisation member, staff of a unit,
editor (Wagtail page permissions only), administrator of a municipality, admin
(superuser, the platform administrator).

Staff roles are per municipality (`portal.roles`, docs/regional.md): staff read the
triage workspace of the municipalities they work for, never another's, and act on
their own units' ideas. A municipality's administrators read its workspace and manage
its routing rules; to act on ideas they join a unit.

Joint challenges (`challenges.joint`): an idea answering one belongs to the lead
municipality. Those who work for a partner municipality also read it in triage, and
staff of a partner's units post internal notes and public answers on it
(`can_contribute`); only the lead's owning unit moves its status (`can_act_on`).
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from challenges.models import ChallengePage
from ideas.models import Idea, IdeaStatus
from portal import roles
from portal.models import Unit, User

AnyUser = User | AnonymousUser


def is_admin(user: AnyUser) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


def staff_unit_ids(user: AnyUser) -> set[int]:
    """The units the user works in (cached on the user object for the request)."""
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_staff_unit_ids", None)
    if cached is None:
        cached = set(_staff_units(user))
    return cached


def _staff_units(user: User) -> dict[int, int]:
    """The user's active units and each one's municipality, in one query; it is the
    query `staff_unit_ids` always made, so knowing the municipalities costs nothing."""
    units = dict(user.units.filter(is_active=True).order_by().values_list("pk", "municipality_id"))
    user._staff_unit_ids = set(units)  # type: ignore[union-attr]
    user._staff_unit_municipalities = units  # type: ignore[union-attr]
    return units


def staff_unit_municipality_ids(user: AnyUser) -> set[int]:
    """The municipalities of the units the user works in (no administrators: see
    `portal.roles.staff_municipality_ids` for everyone who works for one)."""
    if not user.is_authenticated or getattr(user, "_staff_unit_ids", None) == set():
        return set()  # also when remembered to be staff of nothing
    units = getattr(user, "_staff_unit_municipalities", None)
    if units is None:
        units = _staff_units(user)
    return set(units.values())


def remember_staff_unit_ids(user: User, unit_ids: set[int]) -> None:
    """Keep the user's units read along with other things (`selectors.idea_page_marks`),
    so `staff_unit_ids` needs no query of its own for the rest of the request."""
    user._staff_unit_ids = set(unit_ids)  # type: ignore[attr-defined]


def is_unit_staff(user: AnyUser, unit: Unit | None = None) -> bool:
    """Staff of the given unit, or of any unit when none is given."""
    ids = staff_unit_ids(user)
    return bool(ids) if unit is None else unit.pk in ids


def is_triage_staff(user: AnyUser) -> bool:
    """Staff of a unit, or an admin. (A municipality's administrators also enter the
    triage workspace: `can_view_triage`.)"""
    return is_admin(user) or is_unit_staff(user)


def triage_municipality_ids(user: AnyUser) -> frozenset[int] | None:
    """The municipalities whose ideas the user may read in triage; None means all."""
    if is_admin(user):
        return None
    return roles.staff_municipality_ids(user)


def can_view_in_triage(user: AnyUser, idea: Idea) -> bool:
    """May open the idea in the triage workspace, internal notes and history included:
    staff of any unit of the idea's municipality, its administrators, and admins; for
    an idea on a joint challenge, also those of its partner municipalities."""
    if not can_view_triage(user):
        return False
    municipalities = triage_municipality_ids(user)
    if municipalities is None or idea.municipality_id in municipalities:
        return True
    return bool(municipalities & joint_partner_ids(idea))


def joint_partner_ids(idea: Idea) -> frozenset[int]:
    """The partner municipalities of the joint challenge the idea answers (none for an
    ordinary challenge or a free idea). Read once per idea object: one small query,
    made only when a partner's rights are asked about."""
    if idea.challenge_id is None:
        return frozenset()
    cached = getattr(idea, "_joint_partner_ids", None)
    if cached is None:
        cached = frozenset(
            ChallengePage.partner_municipalities.through.objects.filter(
                challengepage_id=idea.challenge_id, municipality__is_active=True
            ).values_list("municipality_id", flat=True)
        )
        idea._joint_partner_ids = cached  # type: ignore[attr-defined]
    return cached


def partner_municipality_id(user: AnyUser, idea: Idea) -> int | None:
    """The partner municipality of the idea's joint challenge that the user works for as
    staff of one of its active units (the lowest id if several); None otherwise."""
    if not (user.is_authenticated and user.is_active):
        return None
    mine = staff_unit_municipality_ids(user) - {idea.municipality_id}
    if not mine:
        return None
    shared = mine & joint_partner_ids(idea)
    return min(shared) if shared else None


def can_contribute(user: AnyUser, idea: Idea) -> bool:
    """May post internal notes and public answers: whoever may act on the idea, and
    staff of a partner municipality's units on an idea answering a joint challenge."""
    return can_act_on(user, idea) or partner_municipality_id(user, idea) is not None


def writing_for(user: AnyUser, idea: Idea) -> int | None:
    """The municipality a note or answer by `user` is written for: the idea's own for
    those who act on it, else the partner municipality they work for."""
    if can_act_on(user, idea):
        return idea.municipality_id
    return partner_municipality_id(user, idea)


def is_author(user: AnyUser, idea: Idea) -> bool:
    return bool(user.is_authenticated and user.is_active and idea.author_id == user.pk)


def can_view(user: AnyUser, idea: Idea) -> bool:
    """May open the idea and everything on or about it (its page, its comments).

    The public sees public ideas, and merged ones (their page leads on to the idea they
    became part of). Authors also see their own withdrawn, hidden or otherwise
    non-public ideas (a hidden idea's page tells its author why it was hidden); staff of
    the owning unit, and admins, see all.
    """
    if idea.is_public or (idea.status == IdeaStatus.MERGED and not idea.is_hidden):
        return True
    if is_author(user, idea):
        return True
    return can_act_on(user, idea)


def can_download_attachments(user: AnyUser, idea: Idea) -> bool:
    """May open the files attached to the idea: whoever may open the idea, except that
    a merged idea's files are only for its author and the staff who act on it (its page
    sends everyone else on to the idea it became part of)."""
    if not can_view(user, idea):
        return False
    if idea.status == IdeaStatus.MERGED:
        return is_author(user, idea) or can_act_on(user, idea)
    return True


def can_act_on(user: AnyUser, idea: Idea) -> bool:
    """May transition, merge, reroute, assign, note, answer: staff of the owning unit, and
    admins. Staff of other units may read the idea in the triage workspace, not act."""
    if is_admin(user):
        return True
    if not (user.is_authenticated and user.is_active):
        return False
    return idea.owning_unit_id is not None and idea.owning_unit_id in staff_unit_ids(user)


def can_view_triage(user: AnyUser) -> bool:
    """May open the triage workspace: unit staff, a municipality's administrators, and
    admins. Which ideas they read there, internal notes included, is
    `can_view_in_triage`: those of the municipalities they work for.

    Editors who are not staff of a unit manage pages, not ideas, and get no access.
    """
    return bool(user.is_authenticated and user.is_active) and (
        is_triage_staff(user) or roles.is_municipality_admin(user)
    )


def triage_unit_ids(user: AnyUser) -> set[int] | None:
    """The units whose ideas the user acts on; None means all (admins)."""
    if is_admin(user):
        return None
    return staff_unit_ids(user)


def queue_unit_ids(user: AnyUser) -> set[int] | None:
    """The units whose ideas are "mine" in the triage queue and on the dashboard; None
    means all (admins). A municipality's administrators count every unit of the
    municipalities they administer, as well as any unit they work in."""
    units = triage_unit_ids(user)
    if units is None:
        return None
    administered = roles.administered_municipality_ids(user)
    if not administered:
        return units
    return units | set(
        Unit.objects.filter(municipality_id__in=administered).values_list("pk", flat=True)
    )


def can_manage_routing_rules(user: AnyUser) -> bool:
    """Routing rules decide where every idea goes: admins, and a municipality's
    administrators for its own rules (`portal.roles.manages` decides per rule)."""
    return is_admin(user) or roles.is_municipality_admin(user)


def can_view_internal(user: AnyUser, idea: Idea | None = None) -> bool:
    """Internal notes and assignees are for staff only: of the idea's municipality
    when an idea is given."""
    if idea is not None:
        return can_view_in_triage(user, idea)
    return can_view_triage(user)


def can_edit(user: AnyUser, idea: Idea) -> bool:
    """Authors may edit their idea until staff start reviewing it."""
    return (
        user.is_authenticated
        and idea.author_id == user.pk
        and idea.status == IdeaStatus.SUBMITTED
        and not idea.is_hidden
    )


def can_withdraw(user: AnyUser, idea: Idea) -> bool:
    return can_edit(user, idea)


def can_moderate_comments(user: AnyUser, idea: Idea | None = None) -> bool:
    """Hide and show comments: staff of any unit of the idea's municipality (of any
    unit at all when no idea is given), and admins. Not every triage user: a
    municipality's administrators moderate as staff of a unit; asking who administers
    what would cost every idea page a query."""
    if is_admin(user):
        return True
    if idea is None:
        return is_unit_staff(user)
    return idea.municipality_id in staff_unit_municipality_ids(user)
