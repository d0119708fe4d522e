"""The public library (/losninger/) and a solution's page (/losninger/<slug>/).

Only published solutions are read (`selectors`), so a draft, a solution in review or a
withdrawn one is a 404 and never listed."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from gains import fragments as gain_fragments
from solutions import exports, permissions, selectors
from solutions.forms import LibraryFilterForm

PER_PAGE = 20


@require_safe
def library(request: HttpRequest) -> HttpResponse:
    # Always bound: every field is optional, so no filters is a valid (empty) choice.
    form = LibraryFilterForm(request.GET)
    filters = form.filters()
    paginator = Paginator(selectors.library(filters), PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "solutions/library.html",
        {
            "form": form,
            "page": page,
            "solutions": list(page.object_list),
            "query": query.urlencode(),
        },
    )


@require_safe
def solution_detail(request: HttpRequest, slug: str) -> HttpResponse:
    solution = selectors.public_solution(slug)
    if solution is None:
        raise Http404
    project = solution.project
    # The source project's gains with their measurements: the gains app's own section,
    # cached by it (versions.GAINS).
    gains = gain_fragments.project_gains_section(project.pk, request) if project else ""
    return render(
        request,
        "solutions/solution_detail.html",
        {
            "solution": solution,
            "themes": list(solution.themes.all()),
            "documents": list(solution.documents.all()),
            "gains": gains,
            "reuse": selectors.reuse(solution.pk),
            "can_adopt": permissions.can_adopt(request.user, solution),
        },
    )


@require_safe
def export_json(request: HttpRequest) -> JsonResponse:
    """The library as open data (exports.FIELDS), for anyone to take."""
    response = JsonResponse(
        {"solutions": exports.rows()}, json_dumps_params={"ensure_ascii": False}
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def export_csv(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(exports.as_csv(exports.rows()), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="losninger.csv"'
    response["Access-Control-Allow-Origin"] = "*"
    return response
