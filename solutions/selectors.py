"""Reads for the solution library, shared by the public pages and the staff screens so
they agree. Selectors return data, never HTML. Public reads start from
`Solution.objects.published()`: nothing else is ever public."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Case,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from gains.models import Gain, GainStatus, Measurement
from portal import roles
from portal.models import User
from solutions import permissions, text_search
from solutions.models import Adoption, Solution, SolutionDocument

# Municipality size by inhabitants: (slug, label, at least, below).
SIZES: list[tuple[str, object, int, int | None]] = [
    ("small", _("Fewer than 5,000 inhabitants"), 0, 5_000),
    ("medium", _("5,000 to 19,999 inhabitants"), 5_000, 20_000),
    ("large", _("20,000 to 49,999 inhabitants"), 20_000, 50_000),
    ("city", _("50,000 inhabitants or more"), 50_000, None),
]
SORTS = {
    "relevance": _("Relevance"),
    "reused": _("Most reused"),
    "gained": _("Most gains realised"),
}
REUSED_AT_LEAST = (1, 2, 5)


def count_of(queryset: QuerySet) -> Coalesce:
    """The number of rows of a correlated subquery, 0 when none."""
    counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def realised_gains(**lookups) -> QuerySet[Gain]:
    return Gain.objects.filter(status=GainStatus.REALISED, **lookups)


def with_figures(solutions: QuerySet[Solution]) -> QuerySet[Solution]:
    """Adds `reuse_count` (adoptions) and `realised_count` (realised gains, in the
    source project and in the adopters' projects): what the library sorts by."""
    return solutions.annotate(
        reuse_count=count_of(Adoption.objects.filter(solution=OuterRef("pk"))),
        realised_count=count_of(realised_gains(project_id=OuterRef("project_id")))
        + count_of(realised_gains(project__adopted_from__solution=OuterRef("pk"))),
    )


@dataclass
class LibraryFilters:
    q: str = ""
    theme: str = ""
    kind: str = ""
    municipality: str = ""
    size: str = ""
    gain_type: str = ""
    reused: int = 0
    sort: str = "relevance"


def library(filters: LibraryFilters) -> QuerySet[Solution]:
    """The published solutions of the whole region, filtered and sorted."""
    ranked = text_search.ranked_ids(filters.q) if filters.q else None
    solutions = _filtered(with_figures(Solution.objects.published()), filters, ranked)
    solutions, order = _ordered(solutions, filters, ranked)
    return (
        solutions.select_related("municipality")
        .prefetch_related("themes")
        .distinct()
        .order_by(*order)
    )


def _filtered(
    solutions: QuerySet[Solution], filters: LibraryFilters, ranked: list[int] | None
) -> QuerySet[Solution]:
    if filters.q:
        # The search engine's matches (word forms, words in any field), and what holds
        # the words as typed: a solution published a moment ago, not indexed yet, is
        # still found.
        words = Q(title__icontains=filters.q) | Q(problem__icontains=filters.q)
        words |= Q(what_was_done__icontains=filters.q)
        solutions = solutions.filter(words | Q(pk__in=ranked or []))
    exact = {
        "themes__slug": filters.theme,
        "kind": filters.kind,
        "municipality__slug": filters.municipality,
    }
    solutions = solutions.filter(**{lookup: value for lookup, value in exact.items() if value})
    solutions = _of_size(solutions, filters.size)
    if filters.gain_type:
        kind = filters.gain_type
        solutions = solutions.filter(
            Exists(realised_gains(project_id=OuterRef("project_id"), type=kind))
            | Exists(realised_gains(project__adopted_from__solution=OuterRef("pk"), type=kind))
        )
    if filters.reused:
        solutions = solutions.filter(reuse_count__gte=filters.reused)
    return solutions


def _of_size(solutions: QuerySet[Solution], size_slug: str) -> QuerySet[Solution]:
    """Solutions of municipalities of the size chosen (by inhabitants); all without one."""
    size = next((s for s in SIZES if s[0] == size_slug), None)
    if size is None:
        return solutions
    solutions = solutions.filter(municipality__inhabitants__gte=size[2])
    if size[3] is not None:
        solutions = solutions.filter(municipality__inhabitants__lt=size[3])
    return solutions


def _ordered(
    solutions: QuerySet[Solution], filters: LibraryFilters, ranked: list[int] | None
) -> tuple[QuerySet[Solution], list[str]]:
    if filters.sort == "reused":
        return solutions, ["-reuse_count", "-published_at", "-pk"]
    if filters.sort == "gained":
        return solutions, ["-realised_count", "-published_at", "-pk"]
    if ranked:
        # The search engine's order: its rank, written into the query as constants.
        solutions = solutions.annotate(
            rank=Case(
                *(When(pk=pk, then=Value(position)) for position, pk in enumerate(ranked)),
                default=Value(len(ranked)),
                output_field=IntegerField(),
            )
        )
        return solutions, ["rank", "-published_at", "-pk"]
    if filters.q:
        # A match in the title says more than one in the text.
        solutions = solutions.annotate(
            title_match=Case(
                When(title__icontains=filters.q, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        return solutions, ["-title_match", "-published_at", "-pk"]
    return solutions, ["-published_at", "-pk"]


def public_solution(slug: str) -> Solution | None:
    """A published solution as its public page shows it, with its documents, themes,
    source project (and its put-into-use record) and adoptions."""
    return (
        with_figures(Solution.objects.published().filter(slug=slug))
        .select_related(
            "municipality", "project", "project__adoption", "project__municipality", "idea"
        )
        .prefetch_related(
            "themes",
            Prefetch("documents", queryset=SolutionDocument.objects.select_related("document")),
        )
        .first()
    )


@dataclass(frozen=True)
class AdoptedGain:
    """One of an adopter's gains as the source's page shows it: measured against the
    adopter's own baseline (the definitions were copied, never the figures)."""

    gain: Gain
    latest_value: Decimal | None
    latest_on: datetime.date | None

    @property
    def change(self) -> Decimal | None:
        """The latest measurement's change from the baseline (signed, in the unit)."""
        if self.latest_value is None or self.gain.baseline_value is None:
            return None
        return self.latest_value - self.gain.baseline_value


@dataclass
class AdoptionSummary:
    adoption: Adoption
    gains: int
    realised: int
    measured: list[AdoptedGain] = field(default_factory=list)

    @property
    def is_realised(self) -> bool:
        return self.realised > 0


@dataclass
class Reuse:
    """Who adopted a solution and whether it worked there: "realised in N of M"."""

    adoptions: list[AdoptionSummary] = field(default_factory=list)

    @property
    def adopted(self) -> int:
        return len(self.adoptions)

    @property
    def realised(self) -> int:
        """Adopters whose project has at least one realised gain."""
        return sum(1 for summary in self.adoptions if summary.is_realised)


def _adopted_gains(solution_id: int) -> dict[int, list[AdoptedGain]]:
    """The adopters' gains with a baseline, each with its latest measurement, by project
    (one query). A gain without a baseline has nothing to compare yet."""
    latest = Measurement.objects.filter(gain_id=OuterRef("pk")).order_by("-measured_on", "-pk")
    gains = (
        Gain.objects.filter(
            project__adopted_from__solution_id=solution_id, baseline_value__isnull=False
        )
        .defer("owner", "description", "deviation", "baseline_source")
        .annotate(
            latest_value=Subquery(latest.values("value")[:1]),
            latest_on=Subquery(latest.values("measured_on")[:1]),
        )
        .order_by("created_at", "pk")
    )
    by_project: dict[int, list[AdoptedGain]] = defaultdict(list)
    for gain in gains:
        by_project[gain.project_id].append(AdoptedGain(gain, gain.latest_value, gain.latest_on))
    return by_project


def reuse(solution_id: int) -> Reuse:
    """Two queries: the adoptions with their municipality, project and gain counts; the
    adopters' measured gains."""
    adoptions = (
        Adoption.objects.filter(solution_id=solution_id)
        .select_related("municipality", "project")
        .annotate(
            gain_count=count_of(Gain.objects.filter(project_id=OuterRef("project_id"))),
            realised_count=count_of(realised_gains(project_id=OuterRef("project_id"))),
        )
        .order_by("adopted_at", "pk")
    )
    adoptions = list(adoptions)
    measured = _adopted_gains(solution_id) if adoptions else {}
    return Reuse(
        [
            AdoptionSummary(a, a.gain_count, a.realised_count, measured.get(a.project_id, []))
            for a in adoptions
        ]
    )


# --- Staff --------------------------------------------------------------------------------


def staff_solutions(user: User) -> QuerySet[Solution]:
    """The solutions on the staff list: those of the municipalities the person writes
    for or reviews (platform administrators: all)."""
    solutions = Solution.objects.all()
    if not roles.is_platform_admin(user):
        municipalities = permissions.writer_municipality_ids(
            user
        ) | permissions.reviewer_municipality_ids(user)
        solutions = solutions.filter(municipality_id__in=municipalities)
    return solutions.select_related("municipality").order_by("-updated_at", "-pk")


def staff_solution(pk: int) -> Solution:
    return (
        with_figures(Solution.objects.filter(pk=pk))
        .select_related("municipality", "project", "idea", "created_by")
        .prefetch_related(
            "themes",
            Prefetch("documents", queryset=SolutionDocument.objects.select_related("document")),
        )
        .get()
    )


def history(solution: Solution):
    return solution.events.select_related("actor").order_by("created_at", "pk")
