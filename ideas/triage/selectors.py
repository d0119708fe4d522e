"""Reads for the triage workspace: the queue and everything shown about one idea."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from challenges.models import ChallengePage, partner_challenge_ids
from ideas import permissions, similar
from ideas.models import Idea, IdeaEvent, IdeaStatus
from ideas.overdue import WAITING_STATUSES, counts_as_waiting, overdue_q, with_deadline
from portal.models import User

# Pseudo-statuses offered by the queue filter next to the real ones.
OPEN = "open"  # everything staff still have to move: submitted, in review, accepted
WAITING = "waiting"  # waiting for a first answer: submitted, in review
ALL = "all"
HIDDEN = "hidden"  # hidden by staff, whatever the status
OPEN_STATUSES = (IdeaStatus.SUBMITTED, IdeaStatus.IN_REVIEW, IdeaStatus.ACCEPTED)

UNASSIGNED = "none"
MINE = "me"


@dataclass
class QueueFilters:
    status: str = OPEN
    unit: int | None = None  # None: the user's own units (admins: all)
    challenge: int | None = None
    theme: int | None = None
    tag: str = ""
    assignee: str = ""  # "", "me", "none" or a user id
    overdue: bool = False
    q: str = ""
    extra: dict = field(default_factory=dict)


def queue(user: User, filters: QueueFilters | None = None) -> QuerySet[Idea]:
    """Ideas for the triage queue, oldest status change first (longest waiting on top).

    Staff see their own units' ideas unless they pick another unit of their
    municipalities (reading is allowed); nobody but admins ever gets an idea of a
    municipality they do not work for, whatever the filters say. Rows carry `due_at`
    and everything the table shows, so the page costs the same number of queries
    whatever its length (`is_joint` marks the ideas answering a joint challenge).
    """
    filters = filters or QueueFilters()
    ideas = _in_units(in_my_municipalities(Idea.objects.all(), user), user, filters.unit)
    ideas = _with_status(ideas, filters.status)
    if filters.challenge:
        ideas = ideas.filter(challenge_id=filters.challenge)
    if filters.theme:
        ideas = ideas.filter(theme_id=filters.theme)
    if filters.tag:
        ideas = ideas.filter(tagged_items__tag__slug=filters.tag)
    ideas = _assigned_to(ideas, user, filters.assignee)
    if filters.overdue:
        ideas = ideas.filter(overdue_q())
    if filters.q:
        ideas = _matching(ideas, filters.q.strip())
    return (
        with_joint(with_deadline(ideas))
        .select_related("owning_unit", "assignee", "challenge", "theme", "author")
        .prefetch_related("tags")
        .distinct()
        .order_by("status_changed_at", "pk")
    )


def with_joint(ideas: QuerySet[Idea]) -> QuerySet[Idea]:
    """Annotate `is_joint`: whether the idea answers a joint challenge (one with an
    active partner, as `permissions.joint_partner_ids` counts them). A subquery, so
    the queue marks each row without a query of its own."""
    partners = ChallengePage.partner_municipalities.through.objects.filter(
        challengepage_id=OuterRef("challenge_id"), municipality__is_active=True
    )
    return ideas.annotate(is_joint=Exists(partners))


def in_my_municipalities(ideas: QuerySet[Idea], user: User) -> QuerySet[Idea]:
    """Only the ideas of the municipalities the user works for, and those answering a
    joint challenge one of them is a partner in (admins: all)."""
    municipalities = permissions.triage_municipality_ids(user)
    if municipalities is None:
        return ideas
    return ideas.filter(_mine_or_partnered(municipalities))


def _mine_or_partnered(municipalities) -> Q:
    return Q(municipality_id__in=municipalities) | Q(
        # Taken offline or not: the ideas are still to be read and answered.
        challenge_id__in=partner_challenge_ids(municipalities, live_only=False)
    )


def _in_units(ideas: QuerySet[Idea], user: User, unit: int | None) -> QuerySet[Idea]:
    if unit is not None:
        return ideas.filter(owning_unit_id=unit)
    mine = permissions.queue_unit_ids(user)
    if mine is None:
        return ideas
    # "Mine" also holds the ideas on joint challenges the user's municipalities are
    # partners in: partners are expected to read and answer them.
    partnered = permissions.triage_municipality_ids(user) or frozenset()
    if not partnered:
        return ideas.filter(owning_unit_id__in=mine)
    return ideas.filter(
        Q(owning_unit_id__in=mine)
        | Q(challenge_id__in=partner_challenge_ids(partnered, live_only=False))
    )


def _with_status(ideas: QuerySet[Idea], status: str) -> QuerySet[Idea]:
    if status == OPEN:
        return ideas.filter(status__in=OPEN_STATUSES)
    if status == WAITING:
        return ideas.filter(status__in=WAITING_STATUSES)
    if status == HIDDEN:
        return ideas.filter(is_hidden=True)
    if status in IdeaStatus.values:
        return ideas.filter(status=status)
    return ideas


def _assigned_to(ideas: QuerySet[Idea], user: User, assignee: str) -> QuerySet[Idea]:
    if assignee == MINE:
        return ideas.filter(assignee=user)
    if assignee == UNASSIGNED:
        return ideas.filter(assignee__isnull=True)
    if assignee.isdigit():
        return ideas.filter(assignee_id=int(assignee))
    return ideas


def _matching(ideas: QuerySet[Idea], term: str) -> QuerySet[Idea]:
    return ideas.filter(
        Q(title__icontains=term)
        | Q(summary__icontains=term)
        | Q(description__icontains=term)
        | Q(reference__icontains=term)
    )


def mark_overdue(ideas, now=None) -> None:
    """Set `is_overdue` on loaded queue rows from their `due_at` annotation."""
    now = now or timezone.now()
    for idea in ideas:
        idea.is_overdue = bool(
            counts_as_waiting(idea) and idea.due_at is not None and idea.due_at < now
        )


def workspace_idea(pk: int) -> Idea:
    return (
        with_deadline(Idea.objects.filter(pk=pk))
        .select_related(
            "owning_unit",
            "assignee",
            "challenge",
            "theme",
            "author",
            "organisation",
            "merged_into",
            "municipality",  # a joint challenge's partners are told who leads it
        )
        .prefetch_related("tags")
        .annotate(follower_count=Count("follows", distinct=True))
        .get()
    )


def history(idea: Idea) -> QuerySet[IdeaEvent]:
    """Every event, internal ones included: for staff only."""
    return idea.events.select_related("actor", "municipality").order_by("created_at", "pk")


def recent_supporters(idea: Idea, limit: int = 10) -> list[User]:
    return [
        vote.voter
        for vote in idea.votes.select_related("voter").order_by("-created_at", "-pk")[:limit]
    ]


def similar_ideas(idea: Idea, limit: int = 5) -> list[Idea]:
    """Public ideas like this one, for spotting duplicates."""
    return similar.similar_ideas(f"{idea.title}\n{idea.summary}", limit=limit, exclude=idea.pk)
