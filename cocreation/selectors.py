"""Reads for the co-creation pages. Public reads never select a name or an e-mail."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from cocreation import permissions
from cocreation.models import (
    Input,
    MeetingPoint,
    Process,
    Registration,
    RegistrationStatus,
)
from portal.models import User


def with_seat_counts(meetings: QuerySet[MeetingPoint]) -> QuerySet[MeetingPoint]:
    """Annotate `confirmed_count` and `waitlisted_count` (numbers, no names)."""
    return meetings.annotate(
        confirmed_count=Count(
            "registrations",
            filter=Q(registrations__status=RegistrationStatus.CONFIRMED),
            distinct=True,
        ),
        waitlisted_count=Count(
            "registrations",
            filter=Q(registrations__status=RegistrationStatus.WAITLISTED),
            distinct=True,
        ),
    )


def public_process(slug: str) -> Process | None:
    """A published process with its public meetings, in time order, and their partners."""
    meetings = with_seat_counts(MeetingPoint.objects.public()).prefetch_related("partners")
    return (
        Process.objects.published()
        .select_related("organising_unit", "challenge", "theme")
        .prefetch_related("partners", Prefetch("meetings", queryset=meetings, to_attr="timeline"))
        .filter(slug=slug)
        .first()
    )


def meeting_by_code(code: str) -> MeetingPoint | None:
    return (
        with_seat_counts(MeetingPoint.objects.all())
        .select_related("process", "process__organising_unit")
        .prefetch_related("partners")
        .filter(code=code)
        .first()
    )


def processes_managed_by(user: User) -> QuerySet[Process]:
    processes = Process.objects.select_related("organising_unit").annotate(
        meeting_count=Count("meetings", distinct=True),
        input_count=Count("meetings__inputs", distinct=True),
    )
    unit_ids = permissions.manageable_unit_ids(user)
    if unit_ids is not None:
        processes = processes.filter(organising_unit_id__in=unit_ids)
    return processes.order_by("-starts_on", "pk")


def staff_meetings(process: Process) -> QuerySet[MeetingPoint]:
    return with_seat_counts(process.meetings.all()).annotate(
        input_count=Count("inputs", distinct=True)
    )


def registrations_of(meeting: MeetingPoint) -> QuerySet[Registration]:
    """For the organising unit's staff only: names and addresses."""
    return meeting.registrations.order_by("created_at", "pk")


def recent_inputs(process: Process, *, limit: int = 20) -> QuerySet[Input]:
    return (
        Input.objects.filter(meeting__process=process)
        .select_related("meeting")
        .order_by("-created_at", "-pk")[:limit]
    )
