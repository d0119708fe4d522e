"""The public search page and search-as-you-type suggestions."""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from search.backends import search_with_fallback, suggest_with_fallback
from search.backends.base import SORTS, SearchResults, SearchUnavailable, clean_filters
from search.content import CHALLENGE, FACETS, IDEA, public_challenges

logger = logging.getLogger(__name__)

FACET_TITLES = {
    "type": _("Type"),
    "status": _("Status"),
    "theme": _("Theme"),
    "unit": _("Responsible unit"),
    "tag": _("Tags"),
    "challenge": _("Challenge"),
}
TYPE_LABELS = {IDEA: _("Idea"), CHALLENGE: _("Challenge")}
SORT_LABELS = {
    "relevance": _("Best match"),
    "newest": _("Newest"),
    "support": _("Most supported"),
}
MAX_PAGE = 100


def status_labels() -> dict[str, str]:
    from challenges.models import ChallengeStatus
    from ideas.models import IdeaStatus

    return {**dict(IdeaStatus.choices), **dict(ChallengeStatus.choices)}


def label_facets(results: SearchResults) -> None:
    """Give facet values readable labels: one query per facet that needs the database."""
    from challenges.models import Theme
    from portal.models import Unit

    statuses = status_labels()
    lookups = {
        "theme": lambda keys: dict(Theme.objects.filter(slug__in=keys).values_list("slug", "name")),
        "unit": lambda keys: dict(Unit.objects.filter(slug__in=keys).values_list("slug", "name")),
        # Only public challenges: an idea may point at one that was unpublished since.
        "challenge": lambda keys: {
            str(pk): title
            for pk, title in public_challenges()
            .filter(pk__in=[k for k in keys if k.isdigit()])
            .values_list("pk", "title")
        },
    }
    for facet, values in results.facets.items():
        keys = [v.key for v in values]
        if facet == "type":
            labels = {k: str(TYPE_LABELS.get(k, k)) for k in keys}
        elif facet == "status":
            labels = {k: str(statuses.get(k, k)) for k in keys}
        elif facet in lookups:
            labels = lookups[facet](keys)
        else:
            labels = {}
        if facet == "challenge":
            values[:] = [v for v in values if v.key in labels]
        for value in values:
            value.label = labels.get(value.key, value.key)


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
    page = _page_number(request.GET.get("page"))
    fell_back = False
    unavailable = False
    try:
        results, fell_back = search_with_fallback(
            query=query, filters=filters, sort=sort, page=page
        )
    except SearchUnavailable:
        logger.exception("Search is unavailable")
        results = SearchResults(query, [], 0, page, 10)
        unavailable = True
    label_facets(results)

    def url_with(**changes) -> str:
        params = [("q", query)] if query else []
        for facet, keys in filters.items():
            params += [(facet, key) for key in keys]
        if sort != "relevance":
            params.append(("sort", sort))
        params = [(k, v) for k, v in params if k not in changes]
        params += [(k, v) for k, v in changes.items() if v not in (None, "")]
        return "?" + urlencode(params)

    facets = [
        {"name": facet, "title": FACET_TITLES[facet], "values": results.facets[facet]}
        for facet in FACETS
        if results.facets.get(facet)
    ]
    statuses = status_labels()
    context = {
        "query": query,
        "results": results,
        "hits": [
            {
                "hit": hit,
                "type_label": TYPE_LABELS.get(hit.type, hit.type),
                "status_label": statuses.get(hit.status, ""),
            }
            for hit in results.hits
        ],
        "facets": facets,
        "filters": filters,
        "active_filters": [
            {"facet": f["title"], "label": v.label}
            for f in facets
            for v in f["values"]
            if v.selected
        ],
        "sort": sort,
        "sorts": [(key, SORT_LABELS[key]) for key in SORTS],
        "fell_back": fell_back,
        "unavailable": unavailable,
        "previous_url": url_with(page=page - 1) if results.has_previous else "",
        "next_url": url_with(page=page + 1) if results.has_next else "",
        "did_you_mean_url": url_with(q=results.did_you_mean, page=None)
        if results.did_you_mean
        else "",
        "searched": bool(query or filters),
    }
    return render(request, "search/search.html", context)


@require_GET
def suggest(request):
    query = request.GET.get("q", "").strip()[:100]
    fell_back = False
    try:
        suggestions, fell_back = suggest_with_fallback(query)
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
