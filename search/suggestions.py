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

from search.backends import get_backend, search_with_fallback
from search.backends.base import SearchUnavailable
from search.content import SOLUTION

logger = logging.getLogger(__name__)

LIMIT = 3
# How many of the library's best matches the engine ranks; the rest (rarely any: a
# region's library holds hundreds) are still found by their words as typed.
LIBRARY_RANKED = 100


def rank_solutions(text: str) -> list[int] | None:
    """The solution library's search box (`solutions.text_search`): the published
    solutions matching `text`, best first, from the engine or the embedded search
    standing in for it; None when neither can answer."""
    try:
        results, _fell_back = search_with_fallback(
            query=text, filters={"type": [SOLUTION]}, page_size=LIBRARY_RANKED
        )
    except SearchUnavailable:
        logger.warning("The solution library searched without ranking: search is unavailable")
        return None
    return [hit.pk for hit in results.hits if hit.type == SOLUTION]


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
