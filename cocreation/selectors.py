"""Reads for the co-creation pages. Public reads never select a name or an e-mail."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse

from cocreation import permissions
from cocreation.models import (
    Input,
    MeetingPoint,
    Process,
    Registration,
    RegistrationStatus,
)
from ideas.models import PUBLIC_STATUSES, Idea, IdeaStatus
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


# --- What became of inputs -----------------------------------------------------------------


@dataclass(frozen=True)
class IdeaInputs:
    """For the idea page: how many inputs an idea is built on, from how many meeting
    points, and the published processes they came from (title and address)."""

    input_count: int
    meeting_count: int
    processes: list[tuple[str, str]]


def inputs_of_idea(idea_id: int) -> IdeaInputs | None:
    """One query: the inputs linked to the idea, counted, with their processes."""
    rows = list(
        Input.objects.filter(idea_id=idea_id)
        .values("meeting_id", "meeting__process__title", "meeting__process__slug")
        .annotate(count=Count("pk"))
        .filter(meeting__process__is_published=True)
        .order_by("meeting__process__title", "meeting_id")
    )
    if not rows:
        return None
    processes = {}
    for row in rows:
        slug = row["meeting__process__slug"]
        processes[slug] = row["meeting__process__title"]
    return IdeaInputs(
        input_count=sum(row["count"] for row in rows),
        meeting_count=len({row["meeting_id"] for row in rows}),
        processes=[
            (title, reverse("cocreation:process", kwargs={"slug": slug}))
            for slug, title in processes.items()
        ],
    )


# How far the receipt follows an idea through merges; a chain is a line or two in
# practice, and the bound keeps a (forbidden, but possible in old data) cycle finite.
MAX_MERGE_HOPS = 10


@dataclass(frozen=True)
class Receipt:
    """What the receipt page of an input shows. No name or e-mail of anyone.

    `outcome` is "open" (not yet sorted or decided), "answered", "idea" or
    "not_public" (its idea was hidden or withdrawn). `idea` is the idea it ended up
    in, following merges, only when that idea is public.
    """

    code: str
    text: str
    created_at: Any
    process: Process
    meeting_title: str
    theme: Any
    outcome: str
    answer_label: str
    answer_text: str
    idea: Idea | None
    merged: bool


def receipt(code: str) -> Receipt | None:
    """The receipt of an input by its code, or None when there is none to show (no such
    code, or its process is not published). Two queries, more only along merges."""
    item = (
        Input.objects.select_related(
            "meeting", "meeting__process", "theme", "idea", "idea__merged_into"
        )
        .only(
            "code",
            "text",
            "created_at",
            "answer",
            "answer_text",
            "idea",
            "theme__name",
            "theme__name_en",
            "meeting__title",
            "meeting__is_public",
            "meeting__process__title",
            "meeting__process__slug",
            "meeting__process__is_published",
            "idea__status",
            "idea__is_hidden",
            "idea__title",
            "idea__summary",
            "idea__reference",
            "idea__merged_into",
            "idea__merged_into__status",
            "idea__merged_into__is_hidden",
            "idea__merged_into__title",
            "idea__merged_into__summary",
            "idea__merged_into__reference",
            "idea__merged_into__merged_into",
        )
        .filter(code=code.lower())
        .first()
    )
    if item is None or not item.meeting.process.is_published:
        return None
    outcome, idea, merged = _outcome(item)
    meeting = item.meeting
    return Receipt(
        code=item.code,
        text=item.text,
        created_at=item.created_at,
        process=meeting.process,
        meeting_title=meeting.title if meeting.is_public else "",
        theme=item.theme,
        outcome=outcome,
        answer_label=item.get_answer_display() if item.answer else "",
        answer_text=item.answer_text,
        idea=idea,
        merged=merged,
    )


def _outcome(item: Input) -> tuple[str, Idea | None, bool]:
    """What became of the input: its outcome, the public idea it ended up in
    (following merges), and whether it got there through a merge."""
    if item.answer:
        return "answered", None, False
    idea, merged = item.idea, False
    if idea is None:
        return "open", None, False
    for _hop in range(MAX_MERGE_HOPS):
        if idea.status != IdeaStatus.MERGED or idea.merged_into_id is None:
            break
        merged = True
        idea = idea.merged_into
    if idea.is_hidden or idea.status not in PUBLIC_STATUSES:
        return "not_public", None, merged
    return "idea", idea, merged


def feedback_addresses(idea: Idea) -> list[tuple[str, list[str]]]:
    """The e-mail addresses of those whose inputs are part of `idea` (or of ideas merged
    into it), each once, with the receipt codes of their inputs."""
    rows = (
        Input.objects.filter(Q(idea=idea) | Q(idea__merged_into=idea))
        .exclude(giver_email="")
        .order_by("giver_email", "pk")
        .values_list("giver_email", "code")
    )
    addresses: dict[str, list[str]] = {}
    for email, code in rows:
        addresses.setdefault(email.lower(), []).append(code)
    return list(addresses.items())


def inputs_to_sort(process: Process, *, open_only: bool) -> QuerySet[Input]:
    """For the organising unit's staff: the process's inputs with their outcome,
    those without one (no idea, no answer) only when `open_only`."""
    inputs = Input.objects.filter(meeting__process=process).select_related(
        "meeting", "theme", "idea"
    )
    if open_only:
        inputs = inputs.filter(idea__isnull=True, answer="")
    return inputs.order_by("created_at", "pk")
