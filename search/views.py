"""The public search page and search-as-you-type suggestions."""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from cms.regional import site_municipality
from portal import versions
from search import fragments
from search.backends import search_with_fallback, suggest_with_fallback
from search.backends.base import (
    PAGE_SIZE,
    RESULT_LIMIT,
    SORTS,
    SearchResults,
    SearchUnavailable,
    clean_filters,
)
from search.content import CHALLENGE, FACETS, IDEA, PROJECT, SOLUTION, public_challenges

logger = logging.getLogger(__name__)

FACET_TITLES = {
    "type": _("Type"),
    "municipality": _("Municipality"),
    "status": _("Status"),
    "theme": _("Theme"),
    "unit": _("Responsible unit"),
    "tag": _("Tags"),
    "challenge": _("Challenge"),
}
TYPE_LABELS = {
    IDEA: _("Idea"),
    CHALLENGE: _("Challenge"),
    PROJECT: _("Project"),
    SOLUTION: _("Solution"),
}
SORT_LABELS = {
    "relevance": _("Best match"),
    "newest": _("Newest"),
    "support": _("Most supported"),
}
# Every match is ranked; paging goes as far as RESULT_LIMIT results (as far as a
# search counts, so a capped count's last page is the last one).
MAX_PAGE = RESULT_LIMIT // PAGE_SIZE


def status_labels() -> dict[str, str]:
    from challenges.models import ChallengeStatus
    from ideas.models import IdeaStatus

    return {**dict(IdeaStatus.choices), **dict(ChallengeStatus.choices)}


def _facet_labels() -> dict[str, dict[str, str]]:
    """Names of themes, units and municipalities by slug, titles of public challenges by
    id: cached until pages or names change, so labelling the facets costs no query."""
    from challenges.models import Theme
    from portal.models import Unit

    def compute() -> dict[str, dict[str, str]]:
        # Names in the interface language (the English name where one is written).
        # Municipalities come with their units: every idea and challenge has a unit of
        # its municipality, so no other municipality can be in a facet.
        units = list(Unit.objects.select_related("municipality"))
        return {
            "theme": {theme.slug: theme.display_name for theme in Theme.objects.all()},
            "unit": {unit.slug: unit.display_name for unit in units},
            "municipality": {unit.municipality.slug: unit.municipality.name for unit in units},
            # Only public challenges: an idea may point at one that was unpublished since.
            "challenge": {
                str(pk): title for pk, title in public_challenges().values_list("pk", "title")
            },
        }

    return versions.cached(
        (versions.PAGES, versions.LABELS), f"search-facet-labels:{get_language()}", compute
    )


def label_facets(results: SearchResults) -> None:
    """Give facet values readable labels."""
    statuses = status_labels()
    names = _facet_labels()
    for facet, values in results.facets.items():
        labels = _labels(facet, [v.key for v in values], statuses, names)
        if facet == "challenge":
            # Only public challenges have a label: an idea's unpublished one is left out.
            values[:] = [v for v in values if v.key in labels]
        for value in values:
            value.label = labels.get(value.key, value.key)


def _labels(
    facet: str, keys: list[str], statuses: dict[str, str], names: dict[str, dict[str, str]]
) -> dict[str, str]:
    """Labels of those of `keys` of `facet` that have one."""
    if facet == "type":
        return {key: str(TYPE_LABELS.get(key, key)) for key in keys}
    if facet == "status":
        return {key: str(statuses.get(key, key)) for key in keys}
    known = names.get(facet, {})
    return {key: known[key] for key in keys if key in known}


def _page_number(raw: str | None) -> int:
    try:
        return min(max(1, int(raw or 1)), MAX_PAGE)
    except ValueError:
        return 1


@require_GET
def search(request):
    query = request.GET.get("q", "").strip()[:200]
    sort = request.GET.get("sort", "relevance")
    if sort not in SORTS:
        sort = "relevance"
    filters = clean_filters({facet: request.GET.getlist(facet) for facet in FACETS})
    # On a municipality's own hostname the search covers that municipality alone (the
    # shared host searches the region, with the municipality facet).
    own = site_municipality(request)
    if own is not None:
        filters["municipality"] = [own.slug]
    page = _page_number(request.GET.get("page"))

    def render_content() -> tuple[str, bool]:
        context, complete = _search_context(
            query, sort, filters, page, fixed_municipality=own is not None
        )
        # No request: the part is shared by everyone (search.fragments), so no context
        # processor may put anything personal in it.
        html = render_to_string("search/includes/search_content.html", context)
        return html, complete

    content = fragments.search_content(
        request, render_content, municipality_id=own.pk if own else None
    )
    context = {"query": query, "search_content": content}
    return render(request, "search/search.html", context)


def _worth_showing(facet: str, values) -> bool:
    """A municipality facet with one value and none chosen says nothing: a single
    municipality's site shows no such facet (docs/regional.md)."""
    return facet != "municipality" or len(values) > 1 or any(v.selected for v in values)


def _shown_facets(results: SearchResults, *, fixed_municipality: bool = False) -> list[dict]:
    """The facets worth showing, in order, their values labelled. A municipality's own
    site has no municipality facet: it searches that municipality only."""
    label_facets(results)
    return [
        {"name": facet, "title": FACET_TITLES[facet], "values": results.facets[facet]}
        for facet in FACETS
        if results.facets.get(facet)
        and _worth_showing(facet, results.facets[facet])
        and not (fixed_municipality and facet == "municipality")
    ]


def _active_filters(facets: list[dict]) -> list[dict]:
    """The chosen facet values, named: what the page says the results are narrowed by."""
    return [
        {"facet": facet["title"], "label": value.label}
        for facet in facets
        for value in facet["values"]
        if value.selected
    ]


def _search_context(
    query: str,
    sort: str,
    filters: dict[str, list[str]],
    page: int,
    *,
    fixed_municipality: bool = False,
) -> tuple[dict, bool]:
    """The results page's context, and whether it is complete (search answered)."""
    results, fell_back, unavailable = _results(query, sort, filters, page)
    facets = _shown_facets(results, fixed_municipality=fixed_municipality)
    if fixed_municipality:
        # The links keep the query and the visitor's own choices; the site adds its
        # municipality again on every request.
        filters = {facet: keys for facet, keys in filters.items() if facet != "municipality"}
    context = {
        "query": query,
        "results": results,
        "hits": _hits(results),
        "facets": facets,
        "filters": filters,
        "active_filters": _active_filters(facets),
        "sort": sort,
        "sorts": [(key, SORT_LABELS[key]) for key in SORTS],
        # Past the last page that can be reached, the way on is narrowing the search.
        "paging_ends": page >= MAX_PAGE and (results.has_next or results.capped),
        "result_limit": MAX_PAGE * PAGE_SIZE,
        "fell_back": fell_back,
        "unavailable": unavailable,
        **_links(results, query, sort, filters, page),
        "searched": bool(query or filters),
    }
    return context, not (fell_back or unavailable)


def _results(
    query: str, sort: str, filters: dict[str, list[str]], page: int
) -> tuple[SearchResults, bool, bool]:
    """The results, whether the embedded backend stood in, and whether none could answer."""
    try:
        results, fell_back = search_with_fallback(
            query=query, filters=filters, sort=sort, page=page
        )
    except SearchUnavailable:
        logger.exception("Search is unavailable")
        return SearchResults(query, [], 0, page, 10), False, True
    return results, fell_back, False


def _solution_municipalities(results: SearchResults) -> dict[int, str]:
    """The municipality's name of each solution among the hits: one query, however many."""
    from solutions.models import Solution

    pks = [hit.pk for hit in results.hits if hit.type == SOLUTION]
    if not pks:
        return {}
    rows = Solution.objects.published().filter(pk__in=pks).values_list("pk", "municipality__name")
    return dict(rows)


def _hits(results: SearchResults) -> list[dict]:
    statuses = status_labels()
    municipalities = _solution_municipalities(results)
    return [
        {
            "hit": hit,
            "type_label": TYPE_LABELS.get(hit.type, hit.type),
            "status_label": statuses.get(hit.status, ""),
            "municipality": municipalities.get(hit.pk, "") if hit.type == SOLUTION else "",
        }
        for hit in results.hits
    ]


def _links(
    results: SearchResults, query: str, sort: str, filters: dict[str, list[str]], page: int
) -> dict[str, str]:
    """The previous, next and "did you mean" links ("" when there is none)."""

    def url_with(**changes) -> str:
        params = [("q", query)] if query else []
        for facet, keys in filters.items():
            params += [(facet, key) for key in keys]
        if sort != "relevance":
            params.append(("sort", sort))
        params = [(k, v) for k, v in params if k not in changes]
        params += [(k, v) for k, v in changes.items() if v not in (None, "")]
        return "?" + urlencode(params)

    return {
        "previous_url": url_with(page=page - 1) if results.has_previous else "",
        "next_url": url_with(page=page + 1) if results.has_next and page < MAX_PAGE else "",
        "did_you_mean_url": url_with(q=results.did_you_mean, page=None)
        if results.did_you_mean
        else "",
    }


@require_GET
def suggest(request):
    query = request.GET.get("q", "").strip()[:100]
    fell_back = False
    own = site_municipality(request)
    try:
        suggestions, fell_back = suggest_with_fallback(
            query, municipality=own.slug if own else None
        )
    except SearchUnavailable:
        logger.exception("Suggestions are unavailable")
        suggestions = []
    context = {
        "query": query,
        "suggestions": [
            {"suggestion": s, "type_label": TYPE_LABELS.get(s.type, s.type)} for s in suggestions
        ],
        "fell_back": fell_back,
    }
    template = "search/includes/suggestions.html" if request.htmx else "search/suggest.html"
    return render(request, template, context)
