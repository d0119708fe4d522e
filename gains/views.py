"""The public pages of what projects have given: "Hva er gevinsten?" and "Tatt i bruk",
for one municipality (`/prosjekter/gevinster/<municipality>/`) or the whole region
(`/prosjekter/gevinster/`). The same for everyone, so each is rendered once per language
and served from the cache until something it shows changes (gains.fragments)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from gains import charts, fragments, overview
from portal.models import Municipality


@require_safe
def gains_overview(request: HttpRequest, municipality: str | None = None) -> HttpResponse:
    page = fragments.overview_page(municipality, lambda: _render_overview(municipality))
    if page["kind"] == "missing":
        raise Http404
    return render(request, "gains/overview.html", page)


@require_safe
def gains_showcase(request: HttpRequest, municipality: str | None = None) -> HttpResponse:
    page = fragments.showcase_page(municipality, lambda: _render_showcase(municipality))
    if page["kind"] == "missing":
        raise Http404
    return render(request, "gains/showcase.html", page)


def _scope(slug: str | None, view: str) -> dict[str, Any] | None:
    """The municipality asked for (None: not found) and the choice between them, each
    choice with the address of `view` for it."""
    municipalities = overview.active_municipalities()
    chosen: Municipality | None = None
    if slug is not None:
        chosen = next((m for m in municipalities if m.slug == slug), None)
        if chosen is None:
            return None
    choices = []
    if len(municipalities) > 1:
        choices.append(
            {
                "name": _("All municipalities"),
                "url": reverse(f"gains:{view}"),
                "current": not chosen,
            }
        )
        choices += [
            {
                "name": m.name,
                "url": reverse(f"gains:{view}_municipality", args=[m.slug]),
                "current": chosen is not None and m.pk == chosen.pk,
            }
            for m in municipalities
        ]
    other = "showcase" if view == "overview" else "overview"
    return {
        "municipality": chosen,
        "choices": choices,
        "other_url": (
            reverse(f"gains:{other}_municipality", args=[chosen.slug])
            if chosen
            else reverse(f"gains:{other}")
        ),
    }


def _measure_sections(totals: list[overview.MeasureTotal]) -> list[dict[str, Any]]:
    """The realised gains, grouped by type; each measure with its chart by project."""
    sections: dict[str, dict[str, Any]] = {}
    for index, total in enumerate(totals):
        measure = total.measure
        section = sections.setdefault(
            measure.type, {"type": measure.type, "label": measure.type_label, "measures": []}
        )
        rows = [(c.project.name, c.value) for c in total.contributions]
        section["measures"].append(
            {
                "id": f"measure-{index}",
                "measure": measure,
                "total": total.total,
                "contributions": total.contributions,
                "chart": charts.bar_chart(rows),
            }
        )
    return list(sections.values())


def _render_overview(slug: str | None) -> dict[str, Any]:
    scope = _scope(slug, "overview")
    if scope is None:
        return {"kind": "missing"}
    figures = overview.overview(scope["municipality"])
    stages = figures.funnel.stages()
    context = {
        **scope,
        "funnel": stages,
        "funnel_chart": charts.bar_chart([(name, Decimal(count)) for name, count in stages]),
        "measure_sections": _measure_sections(figures.totals),
        "by_theme": figures.by_theme,
        "by_unit": figures.by_unit,
        "behind_plan": figures.behind_plan,
        "regional": scope["municipality"] is None,
    }
    return {
        "kind": "page",
        "head": {"municipality": scope["municipality"].name if scope["municipality"] else ""},
        "content": render_to_string("gains/includes/overview.html", context),
    }


def _render_showcase(slug: str | None) -> dict[str, Any]:
    scope = _scope(slug, "showcase")
    if scope is None:
        return {"kind": "missing"}
    shown = overview.showcase(scope["municipality"])
    context = {
        **scope,
        "projects": shown.projects,
        "ideas": shown.ideas,
        "ideas_limit": overview.SHOWCASE_IDEAS,
        "regional": scope["municipality"] is None,
    }
    return {
        "kind": "page",
        "head": {"municipality": scope["municipality"].name if scope["municipality"] else ""},
        "content": render_to_string("gains/includes/showcase.html", context),
    }
