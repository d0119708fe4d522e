"""The public list of ideas and *Min side*, the list of a person's own."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from cms.routing import restriction_index
from ideas import selectors
from ideas.counts import CountedPaginator
from ideas.forms import IdeaFilterForm
from ideas.models import IdeaTag
from ideas.views.common import is_htmx
from portal import versions


def _filter_fields(request: HttpRequest, form: IdeaFilterForm) -> str:
    """The filter form's fields as HTML, rendered once per language and query.

    The select lists show every challenge, theme and unit; rendering them through
    Django's widget templates costs more than the rest of the page. What they show
    depends only on the query (selected values, errors), the language, the names of
    challenges, themes and units, and which restricted challenges the person may see,
    so that is what the cache key is made of.
    """
    key = "idea-filters:" + versions.fingerprint(
        get_language(),
        sorted(request.GET.lists()),
        # The challenges offered depend on the restrictions that keep this person out.
        restriction_index().hidden_paths(request.user),
    )
    html = versions.cached(
        (versions.PAGES, versions.LABELS),
        key,
        lambda: render_to_string("ideas/includes/filter_fields.html", {"form": form}),
    )
    return mark_safe(html)  # rendered by our own template, escaped there


# What a page of the idea list shows: the ideas (support, comments, authors' names),
# the counts, the challenges the ideas answer.
LIST_VERSIONS = (versions.IDEAS, versions.PUBLIC_IDEAS, versions.PAGES)


@require_GET
def idea_list(request: HttpRequest) -> HttpResponse:
    form = IdeaFilterForm(request.GET or None, user=request.user)
    canonical = form.canonical_query() if request.GET else None
    if canonical is not None:
        # An old link that named a theme or unit by id: the same list, under its slug.
        return HttpResponsePermanentRedirect(f"{request.path}?{canonical.urlencode()}")
    filters = form.filters() if request.GET else selectors.IdeaFilters()
    per_page = form.per_page_value() if request.GET else 20
    query = request.GET.copy()
    query.pop("page", None)
    htmx = is_htmx(request)

    def render_results() -> tuple[str, str]:
        ideas = selectors.filter_ideas(selectors.public_idea_cards(), filters)
        page = CountedPaginator(ideas, per_page).get_page(request.GET.get("page"))
        page_ideas = selectors.attach_card_data(list(page.object_list))
        context = {
            "page_obj": page,
            "ideas": page_ideas,
            "supported_ids": selectors.supported_ids(
                request.user, [idea.pk for idea in page_ideas]
            ),
            "query_without_page": query.urlencode(),
            "is_htmx": htmx,
            "ignored_filters": form.ignored() if request.GET else [],
        }
        return (
            render_to_string("ideas/includes/list_count.html", context, request),
            render_to_string("ideas/includes/list_results.html", context, request),
        )

    if request.user.is_authenticated:
        # Marked with what this person supports: rendered for them (cards are cached).
        count_html, results_html = render_results()
    else:
        key = versions.fingerprint("idea-list", get_language(), htmx, sorted(request.GET.lists()))
        count_html, results_html = versions.cached(LIST_VERSIONS, key, render_results)
    if htmx:
        response = HttpResponse(results_html)
    else:
        active_tag = (
            IdeaTag.objects.filter(slug=filters.tag_slug).first() if filters.tag_slug else None
        )
        context = {
            "form": form,
            "filter_fields": _filter_fields(request, form),
            "list_count": mark_safe(count_html),
            "list_results": mark_safe(results_html),
            "active_tag": active_tag,
            "tag_remove_query": urlencode(
                [(key, value) for key, value in query.lists() if key != "tag" for value in value]
            ),
        }
        response = render(request, "ideas/idea_list.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
def my_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = {
        "my_ideas": list(selectors.ideas_by_author(user)),
        "supported_ideas": list(selectors.ideas_supported_by(user)[:100]),
        "followed_ideas": list(selectors.ideas_followed_by(user)[:100]),
        "followed_challenges": list(selectors.challenges_followed_by(user)),
    }
    return render(request, "ideas/my_page.html", context)
