"""The public list of ideas and *Min side*, the list of a person's own."""

from __future__ import annotations

import dataclasses
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponsePermanentRedirect,
)
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from cms.regional import is_regional, site_municipality
from ideas import fragments, selectors
from ideas.counts import CountedPaginator
from ideas.forms import IdeaFilterForm
from ideas.models import IdeaTag
from ideas.views.common import is_htmx
from portal.municipalities import Municipality


@require_GET
def idea_list(request: HttpRequest) -> HttpResponse:
    """`/ideas/`: the whole region's public ideas on the shared host; on a
    municipality's own hostname, that municipality's (docs/regional.md)."""
    return _idea_list(request, municipality=site_municipality(request))


def municipality_idea_list(request: HttpRequest, home) -> HttpResponse:
    """`/<slug>/ideer/`: the public ideas of one municipality (served by its home page,
    `cms.models.MunicipalityHomePage`, through `cms.home.parts`)."""
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    return _idea_list(request, municipality=home.municipality)


def _list_filters(
    request: HttpRequest, form: IdeaFilterForm, municipality: Municipality | None
) -> tuple[selectors.IdeaFilters, int]:
    """The list's filters (within the municipality, on its own list) and page size."""
    filters = form.filters() if request.GET else selectors.IdeaFilters()
    if municipality is not None:
        filters = dataclasses.replace(filters, municipality_id=municipality.pk)
    return filters, form.per_page_value() if request.GET else 20


def _idea_list(request: HttpRequest, municipality: Municipality | None = None) -> HttpResponse:
    municipality_id = municipality.pk if municipality else None
    form = IdeaFilterForm(request.GET or None, user=request.user, municipality_id=municipality_id)
    canonical = form.canonical_query() if request.GET else None
    if canonical is not None:
        # An old link that named a theme or unit by id: the same list, under its slug.
        return HttpResponsePermanentRedirect(f"{request.path}?{canonical.urlencode()}")
    query = request.GET.copy()
    query.pop("page", None)
    htmx = is_htmx(request)

    def render_results() -> fragments.ListParts:
        # Validated only here, on a cache miss: a warm request never needs the filter's
        # choices (see `IdeaFilterForm._limit_choices`).
        filters, per_page = _list_filters(request, form, municipality)
        # A municipality's list names the lead of the joint challenges' ideas on it.
        cards = selectors.public_idea_cards(with_municipality=municipality is not None)
        ideas = selectors.filter_ideas(cards, filters)
        page = CountedPaginator(ideas, per_page).get_page(request.GET.get("page"))
        page_ideas = selectors.attach_card_data(
            list(page.object_list), municipality_id=municipality_id
        )
        context = {
            "page_obj": page,
            "ideas": page_ideas,
            "query_without_page": query.urlencode(),
            "is_htmx": htmx,
            "ignored_filters": form.ignored() if request.GET else [],
            "personal_slots": True,  # the cards' "you support this", see below
        }
        # Without the request: no context processor can put the person into it.
        return fragments.ListParts(
            count=render_to_string("ideas/includes/list_count.html", context),
            results=fragments.SlottedHTML.parse(
                render_to_string("ideas/includes/list_results.html", context)
            ),
            idea_ids=tuple(idea.pk for idea in page_ideas),
        )

    parts = fragments.idea_list_parts(
        request,
        htmx=htmx,
        render=render_results,
        municipality_id=municipality_id,
        # (Read from the query: the form is validated only on a miss. Any other value
        # of "sort" is not this order.)
        by_support=request.GET.get("sort") == selectors.Sort.MOST_SUPPORTED,
    )
    # The one thing on the list that is a person's own: which of the ideas they support
    # (cached until it changes; no query for anonymous visitors).
    supported = selectors.supported_on_page(request.user, parts.idea_ids)
    mine = render_to_string("ideas/includes/card_supported.html") if supported else ""
    results_html = parts.results.fill({f"supported-{pk}": mine for pk in supported}, csrf_token="")
    count_html = mark_safe(parts.count)  # rendered by our own template
    if htmx:
        response = HttpResponse(results_html)
    else:
        context = {
            "form": form,
            "filter_fields": fragments.filter_fields(request, form, municipality_id),
            "list_count": count_html,
            "list_results": results_html,
            # The filter form sends its query back to the list it is on.
            "list_url": request.path if municipality else reverse("ideas:list"),
            "municipality": municipality,
            **_tag_context(form.tag_slug() if request.GET else "", query),
        }
        response = render(request, "ideas/idea_list.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _tag_context(tag_slug: str | None, query) -> dict[str, object]:
    """The tag the list is filtered by, and the query that shows the list without it."""
    if not tag_slug:
        return {"active_tag": None, "tag_remove_query": ""}
    return {
        "active_tag": IdeaTag.objects.filter(slug=tag_slug).first(),
        "tag_remove_query": urlencode(
            [(key, value) for key, value in query.lists() if key != "tag" for value in value]
        ),
    }


@login_required
def my_page(request: HttpRequest) -> HttpResponse:
    """*Min side*: the person's ideas, support and follows across the whole region (one
    account works everywhere), on whichever host. With several municipalities each
    names its municipality (read with it: no query more)."""
    user = request.user
    regional = is_regional()
    ideas_by_author = selectors.ideas_by_author(user)
    supported = selectors.ideas_supported_by(user)
    followed = selectors.ideas_followed_by(user)
    challenges = selectors.challenges_followed_by(user)
    if regional:
        ideas_by_author, supported, followed = (
            queryset.select_related("municipality")
            for queryset in (ideas_by_author, supported, followed)
        )
        challenges = challenges.select_related("owning_unit__municipality")
    context = {
        "regional": regional,
        "my_ideas": list(ideas_by_author),
        "supported_ideas": list(supported[:100]),
        "followed_ideas": list(followed[:100]),
        "followed_challenges": list(challenges),
    }
    return render(request, "ideas/my_page.html", context)
