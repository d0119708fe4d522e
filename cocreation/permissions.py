"""Who may do what in co-creation. One place, tested as a role matrix.

Staff of a process's organising unit (and admins) run it: its meetings, registrations,
attendance and inputs, with the names and e-mails people gave. Everyone else, staff of
other units and members of partner organisations included, sees what the public sees:
published processes and their public meetings, with no personal data.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from cocreation.models import MeetingPoint, Process
from ideas.permissions import is_admin, staff_unit_ids
from portal.models import Unit, User

AnyUser = User | AnonymousUser


def can_open_workspace(user: AnyUser) -> bool:
    """May open the co-creation screens in the admin: staff of any unit, and admins."""
    return bool(user.is_authenticated and user.is_active) and (
        is_admin(user) or bool(staff_unit_ids(user))
    )


def can_organise_for(user: AnyUser, unit: Unit) -> bool:
    """May start a process with `unit` as its organiser."""
    if is_admin(user):
        return True
    return bool(user.is_authenticated and user.is_active) and unit.pk in staff_unit_ids(user)


def can_manage(user: AnyUser, process: Process) -> bool:
    """May change the process and everything in it, and read its personal data."""
    if is_admin(user):
        return True
    if not (user.is_authenticated and user.is_active):
        return False
    return process.organising_unit_id in staff_unit_ids(user)


def manageable_unit_ids(user: AnyUser) -> set[int] | None:
    """The units whose processes the user manages; None means all (admins)."""
    return None if is_admin(user) else staff_unit_ids(user)


def can_view_process(user: AnyUser, process: Process) -> bool:
    return process.is_published or can_manage(user, process)


def can_view_meeting(user: AnyUser, meeting: MeetingPoint) -> bool:
    """The public meeting page; a non-public meeting is for its organisers only (its
    participants reach its input form through the short link, which shows no details)."""
    if meeting.is_public and meeting.process.is_published:
        return True
    return can_manage(user, meeting.process)
