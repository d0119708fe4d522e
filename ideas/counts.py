"""How many public ideas there are, without counting them on every request.

Counting is the one part of a list that grows with the data: a page of 20 ideas is read
from an index in the same time at 10,000 ideas as at 100,000, but COUNT(*) reads them
all. So counts are cached under the version `portal.versions.PUBLIC_IDEAS`, which every
write that can change them bumps (Idea.save, the queryset's update/delete/bulk_create,
and tag changes): a count is never older than the last change to the ideas.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.utils.functional import cached_property

from ideas.models import Idea, IdeaStatus
from portal import versions


def count(queryset: QuerySet) -> int:
    """`queryset.count()`, cached until the public ideas change.

    Only for querysets of ideas whose result depends on nothing but the ideas' public
    state, their filterable fields and tags (what bumps PUBLIC_IDEAS).
    """
    sql, params = queryset.order_by().query.sql_with_params()
    return versions.cached(
        versions.PUBLIC_IDEAS, "count:" + versions.fingerprint(sql, params), queryset.count
    )


class KnownCountPaginator(Paginator):
    """A paginator told its count (e.g. from `progress`) instead of asking COUNT(*)."""

    def __init__(self, object_list, per_page, *, count: int, **kwargs) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


class CountedPaginator(Paginator):
    """A paginator that takes its count from `ideas.counts.count` instead of COUNT(*)."""

    @cached_property
    def count(self) -> int:
        return count(self.object_list)


def progress(queryset: QuerySet[Idea]) -> dict[str, int]:
    """How many of these public ideas there are, how many are being worked on and how
    many were put into use (nytt, nyttig, nyttiggjort), in one cached query."""
    sql, params = queryset.order_by().query.sql_with_params()

    def compute() -> dict[str, int]:
        return queryset.order_by().aggregate(
            total=Count("pk"),
            in_progress=Count(
                "pk", filter=Q(status__in=[IdeaStatus.IN_REVIEW, IdeaStatus.ACCEPTED])
            ),
            implemented=Count("pk", filter=Q(status=IdeaStatus.IMPLEMENTED)),
        )

    return versions.cached(
        versions.PUBLIC_IDEAS, "progress:" + versions.fingerprint(sql, params), compute
    )


def per_challenge() -> dict[int, int]:
    """Public ideas per challenge (challenge id -> count; challenges without any are
    missing), in one cached query whatever the number of challenges shown."""

    def compute() -> dict[int, int]:
        rows = (
            Idea.objects.public()
            .filter(challenge__isnull=False)
            .order_by()
            .values_list("challenge_id")
            .annotate(n=Count("pk"))
        )
        return dict(rows)

    return versions.cached(versions.PUBLIC_IDEAS, "per-challenge", compute)
