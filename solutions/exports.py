"""The open-data export of the library (/losninger.json and /losninger.csv), so a
municipality not on the platform can find and take a solution.

Published solutions only, with the same figures as the library (`selectors.with_figures`)
and the "realised in N of M" count; never drafts, review comments, the audit trail or
who wrote them. Language-neutral: labels are the stable codes, not translated names.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.db.models import OuterRef, Prefetch

from portal.absolute_urls import absolute_url
from solutions import selectors
from solutions.models import Adoption, Solution

FIELDS = (
    "url",
    "title",
    "municipality",
    "municipality_number",
    "kind",
    "themes",
    "problem",
    "what_was_done",
    "cost",
    "time_taken",
    "competence",
    "technology",
    "procurement_route",
    "reuse_terms",
    "reuse_terms_text",
    "contact_name",
    "contact_email",
    "contact_phone",
    "source",
    "source_url",
    "source_organisation",
    "published_at",
    "adopted_by",
    "realised_in",
    "realised_gains",
)


def rows() -> list[dict[str, Any]]:
    """One dict per published solution, newest first (four queries in all)."""
    adoptions = Adoption.objects.select_related("municipality").annotate(
        realised=selectors.count_of(selectors.realised_gains(project_id=OuterRef("project_id")))
    )
    solutions = (
        selectors.with_figures(Solution.objects.published())
        .select_related("municipality")
        .prefetch_related("themes", Prefetch("adoptions", queryset=adoptions))
        .order_by("-published_at", "-pk")
    )
    result = []
    for solution in solutions:
        adopted = list(solution.adoptions.all())
        result.append(
            {
                "url": absolute_url(solution.get_absolute_url()),
                "title": solution.title,
                "municipality": solution.municipality.name,
                "municipality_number": solution.municipality.number,
                "kind": solution.kind,
                "themes": [theme.slug for theme in solution.themes.all()],
                "problem": solution.problem,
                "what_was_done": solution.what_was_done,
                "cost": solution.cost,
                "time_taken": solution.time_taken,
                "competence": solution.competence,
                "technology": solution.technology,
                "procurement_route": solution.procurement_route,
                "reuse_terms": solution.reuse_terms,
                "reuse_terms_text": solution.reuse_terms_text,
                "contact_name": solution.contact_name,
                "contact_email": solution.contact_email,
                "contact_phone": solution.contact_phone,
                "source": solution.source,
                "source_url": solution.source_url,
                "source_organisation": solution.source_organisation,
                "published_at": solution.published_at.isoformat(),
                "adopted_by": [a.municipality.name for a in adopted],
                "realised_in": sum(1 for a in adopted if a.realised > 0),
                "realised_gains": solution.realised_count,
            }
        )
    return result


def as_csv(data: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FIELDS)
    writer.writeheader()
    for row in data:
        writer.writerow(
            {
                key: "; ".join(value) if isinstance(value, list) else value
                for key, value in row.items()
            }
        )
    return out.getvalue()
