"""Connect before building (issue 16): published solutions like what someone is about to
start, shown where they start it.

Ideas and projects sit below solutions and search (imports run one way), so they offer
hooks (`ideas.extensions.idea_form_hints`, `projects.extensions.start_form_hints`) and
the search app, which finds the solutions, fills them from `SearchConfig.ready()`.
"""

from __future__ import annotations

import logging

from django.http import HttpRequest
from django.template.loader import render_to_string

from search.backends import get_backend
from search.backends.base import SearchUnavailable

logger = logging.getLogger(__name__)

LIMIT = 3


def similar_solutions(text: str) -> list:
    """At most LIMIT published solutions like `text`; none when search cannot answer
    (a suggestion must never break the form it sits on)."""
    try:
        return get_backend().similar_solutions(text, limit=LIMIT)
    except SearchUnavailable:
        logger.warning("No similar solutions: search is unavailable")
        return []


def idea_form_hint(text: str, request: HttpRequest) -> str:
    """For a citizen writing an idea: "Fjordvik solved this in 2026 — see the solution"."""
    solutions = similar_solutions(text)
    if not solutions:
        return ""
    return render_to_string(
        "search/includes/similar_solutions.html", {"solutions": solutions}, request
    )


def project_start_hint(text: str, request: HttpRequest) -> str:
    """For staff starting a project: the same, with a link to adopt where they may."""
    from solutions import permissions

    solutions = similar_solutions(text)
    if not solutions:
        return ""
    rows = [
        {"solution": solution, "may_adopt": permissions.can_adopt(request.user, solution)}
        for solution in solutions
    ]
    return render_to_string("search/includes/start_similar_solutions.html", {"rows": rows}, request)
