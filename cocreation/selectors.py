"""Reads for the co-creation pages. Public reads never select a name or an e-mail."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from challenges.models import Theme
from cocreation import permissions
from cocreation.models import (
    Input,
    MeetingKind,
    MeetingPoint,
    ParticipantGroup,
    Process,
    ProcessThemeSummary,
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
    meetings = (
        with_seat_counts(MeetingPoint.objects.public())
        .annotate(
            public_input_count=Count(
                "inputs", filter=Q(inputs__hidden_at__isnull=True), distinct=True
            )
        )
        .prefetch_related("partners")
    )
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
        Input.objects.public()
        .filter(idea_id=idea_id)
        .values("meeting_id", "meeting__process__title", "meeting__process__slug")
        .annotate(count=Count("pk"))
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

    `outcome` is "open" (not yet sorted or decided), "answered", "idea",
    "not_public" (its idea was hidden or withdrawn) or "hidden" (the input itself was
    hidden by moderation: then only the code, the date and `hidden_reason` are filled
    in, never its text). `idea` is the idea it ended up in, following merges, only
    when that idea is public.
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
    hidden_reason: str = ""


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
            "hidden_at",
            "hidden_reason",
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
    meeting = item.meeting
    if item.is_hidden:
        return Receipt(
            code=item.code,
            text="",
            created_at=item.created_at,
            process=meeting.process,
            meeting_title="",
            theme=None,
            outcome="hidden",
            answer_label="",
            answer_text="",
            idea=None,
            merged=False,
            hidden_reason=item.hidden_reason,
        )
    outcome, idea, merged = _outcome(item)
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
    into it), each once, with the receipt codes of their inputs. A hidden input is no
    longer shown as part of the idea, so its giver hears nothing more of it."""
    rows = (
        Input.objects.filter(Q(idea=idea) | Q(idea__merged_into=idea))
        .filter(hidden_at__isnull=True)
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


# --- The public process page ----------------------------------------------------------------


@dataclass(frozen=True)
class ProcessFigures:
    """The process in numbers, as the public page shows them (public inputs only)."""

    meetings_held: int
    participants: int
    inputs: int
    ideas: int
    implemented: int


@dataclass(frozen=True)
class Reach:
    """Public inputs counted by meeting kind and by participant group, every kind and
    group listed, the ones with none too: whom the process reaches and whom it misses.
    Each entry is (key, label, count); "" is the group of inputs whose giver's group
    is not known."""

    by_kind: list[tuple[str, str, int]]
    by_group: list[tuple[str, str, int]]
    total: int


@dataclass(frozen=True)
class ThemeHeard:
    """ "What we heard" on one theme: staff's summary (may be empty) and how many public
    inputs of the process are sorted under the theme."""

    theme: Theme
    input_count: int
    summary: str


@dataclass(frozen=True)
class PublicInput:
    """One input as the public page shows it: never its giver's name or e-mail, and the
    title of its meeting only when that meeting is public (else its kind)."""

    text: str
    created_at: Any
    meeting: str
    channel: str
    group: str
    theme: Theme | None
    outcome: str
    idea: Idea | None
    merged: bool
    answer_label: str
    answer_text: str


def public_inputs(process: Process) -> QuerySet[Input]:
    """The process's public inputs, newest first, reading no personal field."""
    return (
        Input.objects.public()
        .filter(meeting__process=process)
        .select_related("meeting", "theme", "idea", "idea__merged_into")
        .only(
            "text",
            "created_at",
            "channel",
            "participant_group",
            "answer",
            "answer_text",
            "idea",
            "theme__name",
            "theme__name_en",
            "meeting__title",
            "meeting__kind",
            "meeting__is_public",
            "idea__status",
            "idea__is_hidden",
            "idea__title",
            "idea__reference",
            "idea__merged_into",
            "idea__merged_into__status",
            "idea__merged_into__is_hidden",
            "idea__merged_into__title",
            "idea__merged_into__reference",
            "idea__merged_into__merged_into",
        )
        .order_by("-created_at", "-pk")
    )


def as_public_input(item: Input) -> PublicInput:
    outcome, idea, merged = _outcome(item)
    meeting = item.meeting
    return PublicInput(
        text=item.text,
        created_at=item.created_at,
        meeting=meeting.title if meeting.is_public else meeting.get_kind_display(),
        channel=item.get_channel_display(),
        group=item.get_participant_group_display() if item.participant_group else "",
        theme=item.theme,
        outcome=outcome,
        idea=idea,
        merged=merged,
        answer_label=item.get_answer_display() if item.answer else "",
        answer_text=item.answer_text,
    )


def reach(process: Process) -> Reach:
    """One query: public inputs grouped by meeting kind and participant group."""
    rows = (
        Input.objects.public()
        .filter(meeting__process=process)
        .values_list("meeting__kind", "participant_group")
        .annotate(count=Count("pk"))
        .order_by()
    )
    kinds: dict[str, int] = {}
    groups: dict[str, int] = {}
    for kind, group, count in rows:
        kinds[kind] = kinds.get(kind, 0) + count
        groups[group] = groups.get(group, 0) + count
    return Reach(
        by_kind=[(kind.value, kind.label, kinds.get(kind.value, 0)) for kind in MeetingKind],
        by_group=[
            *((group.value, group.label, groups.get(group.value, 0)) for group in ParticipantGroup),
            ("", _("Not known"), groups.get("", 0)),
        ],
        total=sum(kinds.values()),
    )


def process_figures(process: Process, *, inputs: int) -> ProcessFigures:
    """Two queries: meetings held and their participants; the public ideas built on the
    public inputs (directly, or through an idea merged into them), and those put into
    use. `inputs` is the public input count, known to the caller from `reach`."""
    held = MeetingPoint.objects.filter(
        process=process, cancelled_at__isnull=True, ends_at__lt=timezone.now()
    ).aggregate(count=Count("pk"), participants=Sum("attendance_total"))
    built_on = Input.objects.public().filter(meeting__process=process)
    ideas = (
        Idea.objects.public()
        .filter(Q(cocreation_inputs__in=built_on) | Q(merged_ideas__cocreation_inputs__in=built_on))
        .aggregate(
            count=Count("pk", distinct=True),
            implemented=Count("pk", distinct=True, filter=Q(status=IdeaStatus.IMPLEMENTED)),
        )
    )
    return ProcessFigures(
        meetings_held=held["count"],
        participants=held["participants"] or 0,
        inputs=inputs,
        ideas=ideas["count"],
        implemented=ideas["implemented"],
    )


def themes_heard(process: Process) -> list[ThemeHeard]:
    """Every theme with a summary or with public inputs, in the themes' own order; two
    queries (the counts, then the themes with their summaries of this process)."""
    counts = dict(
        Input.objects.public()
        .filter(meeting__process=process, theme__isnull=False)
        .values_list("theme")
        .annotate(count=Count("pk"))
        .order_by()
    )
    themes = Theme.objects.filter(
        Q(pk__in=counts) | Q(cocreation_summaries__process=process)
    ).prefetch_related(
        Prefetch(
            "cocreation_summaries",
            queryset=ProcessThemeSummary.objects.filter(process=process),
            to_attr="summaries_here",
        )
    )
    heard = []
    for theme in themes.distinct():
        summary = theme.summaries_here[0].text if theme.summaries_here else ""
        heard.append(ThemeHeard(theme=theme, input_count=counts.get(theme.pk, 0), summary=summary))
    return heard
