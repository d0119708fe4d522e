"""Deadlines: an idea still waiting for staff longer than its unit allows is overdue.

Waiting means submitted or in review, and not hidden by moderators: a hidden idea is
not waiting for an answer (moderators took it out of the conversation), so the digest,
the dashboard panel and the queue's overdue label leave it out. The clock starts at the
last status change. Each
unit sets its own `response_deadline_days`, so the comparison is made in the database,
per row, and works on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import datetime

from django.db.models import (
    Count,
    DateTimeField,
    DurationField,
    ExpressionWrapper,
    F,
    Func,
    Q,
    QuerySet,
)
from django.utils import timezone

from ideas.models import Idea, IdeaStatus
from portal.models import Unit

WAITING_STATUSES = (IdeaStatus.SUBMITTED, IdeaStatus.IN_REVIEW)


class Days(Func):
    """An integer column as a duration of that many days.

    Django cannot multiply an integer by a duration on SQLite, where durations are
    stored as microseconds; PostgreSQL needs a real interval. So each gets its own SQL.
    """

    output_field = DurationField()

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"({sql} * INTERVAL '1 day')", params

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"({sql} * 86400000000)", params


def deadline_expression(prefix: str = ""):
    """When the idea becomes overdue: last status change + the owning unit's deadline."""
    return ExpressionWrapper(
        F(f"{prefix}status_changed_at") + Days(F(f"{prefix}owning_unit__response_deadline_days")),
        output_field=DateTimeField(),
    )


def overdue_q(now: datetime.datetime | None = None, prefix: str = "") -> Q:
    """A filter for overdue ideas; `prefix` (e.g. "ideas__") filters from a related model."""
    now = now or timezone.now()
    return Q(
        **{
            f"{prefix}status__in": WAITING_STATUSES,
            f"{prefix}is_hidden": False,
            f"{prefix}owning_unit__isnull": False,
        }
    ) & Q(**{f"{prefix}status_changed_at__lt": now - _deadline_offset(prefix)})


def _deadline_offset(prefix: str):
    # now - days * 1 day, so the idea's own column stays bare and its index usable.
    return Days(F(f"{prefix}owning_unit__response_deadline_days"))


def with_deadline(queryset: QuerySet[Idea]) -> QuerySet[Idea]:
    """Annotate `due_at` (None for ideas that are not waiting for staff)."""
    return queryset.annotate(due_at=deadline_expression())


def overdue_ideas(
    queryset: QuerySet[Idea] | None = None, *, now: datetime.datetime | None = None
) -> QuerySet[Idea]:
    """Ideas waiting longer than their owning unit's response deadline."""
    queryset = Idea.objects.all() if queryset is None else queryset
    return queryset.filter(overdue_q(now))


def counts_as_waiting(idea: Idea) -> bool:
    """Whether staff owe this loaded idea an answer, so it can become overdue."""
    return idea.status in WAITING_STATUSES and not idea.is_hidden


def is_overdue(idea: Idea, now: datetime.datetime | None = None) -> bool:
    """The same rule for one loaded idea (needs `owning_unit` loaded or cheap to load)."""
    if not counts_as_waiting(idea) or idea.owning_unit_id is None:
        return False
    now = now or timezone.now()
    deadline = datetime.timedelta(days=idea.owning_unit.response_deadline_days)
    return idea.status_changed_at + deadline < now


def overdue_counts_by_unit(
    units: QuerySet[Unit] | None = None, *, now: datetime.datetime | None = None
) -> QuerySet[Unit]:
    """Units annotated with `overdue_count` (units with none overdue are left out)."""
    units = Unit.objects.all() if units is None else units
    now = now or timezone.now()
    waiting = Q(ideas__status__in=WAITING_STATUSES, ideas__is_hidden=False) & Q(
        ideas__status_changed_at__lt=now - Days(F("response_deadline_days"))
    )
    return (
        units.annotate(overdue_count=Count("ideas", filter=waiting))
        .filter(overdue_count__gt=0)
        .order_by("-overdue_count", "name")
    )
