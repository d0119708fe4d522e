"""The HTML the gains app renders once and shares, and where it is cached.

- The gains section of the public project page (`projects.extensions`): put into the
  cached project page on every request, so cached here, per project and language,
  under `versions.GAINS` (every gain table is registered with `portal.invalidation`,
  gains.apps), and costs no query when warm.
- The "Hva er gevinsten?" and "Tatt i bruk" pages (gains.views): the same for everyone,
  cached whole per municipality (or the whole region) and language until a version in
  `PAGE_VERSIONS` changes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from gains import charts, selectors
from portal import versions

# The section also links the gains pages of the project's municipality (its slug).
SECTION_VERSIONS = (versions.GAINS, versions.PROJECTS, versions.MUNICIPALITIES)


def project_gains_section(project_id: int, request: HttpRequest) -> SafeString:
    key = versions.fingerprint("project-gains-section", project_id, get_language())
    return versions.cached_html(SECTION_VERSIONS, key, lambda: _section(project_id))


def _section(project_id: int) -> str:
    summaries = selectors.public_gains(project_id)
    gains = [{"summary": s, "gain": s.gain, "chart": charts.chart_for(s)} for s in summaries]
    context = {"gains": gains, "municipality_slug": selectors.municipality_slug_of(project_id)}
    return render_to_string("gains/includes/project_section.html", context)


# --- "Hva er gevinsten?" and "Tatt i bruk" ---------------------------------------------------

# What the two pages show: projects and their adoption, units and ideas (PROJECTS), gains
# and measurements (GAINS), which ideas are public and their themes (IDEAS,
# PUBLIC_IDEAS), unit and theme names (LABELS), which municipalities take part and
# their names (MUNICIPALITIES). Nothing on them depends on the date or on who asks.
PAGE_VERSIONS = (
    versions.PROJECTS,
    versions.GAINS,
    versions.IDEAS,
    versions.PUBLIC_IDEAS,
    versions.LABELS,
    versions.MUNICIPALITIES,
)


def overview_page(slug: str | None, render: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """The gains page of a municipality (or, None, of all), as `render` returns it: a
    dict whose "kind" is "page" or "missing". Rendered once per language."""
    key = versions.fingerprint("gains-overview", slug, get_language())
    return versions.cached(PAGE_VERSIONS, key, render)


def showcase_page(slug: str | None, render: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """The "Tatt i bruk" page, cached as `overview_page`."""
    key = versions.fingerprint("gains-showcase", slug, get_language())
    return versions.cached(PAGE_VERSIONS, key, render)
