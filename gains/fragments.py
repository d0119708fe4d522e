"""The HTML the gains app renders once and shares, and where it is cached.

- The gains section of the public project page (`projects.extensions`): put into the
  cached project page on every request, so cached here, per project and language,
  under `versions.GAINS` (every gain table is registered with `portal.invalidation`,
  gains.apps), and costs no query when warm.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from gains import charts, selectors
from portal import versions

SECTION_VERSIONS = (versions.GAINS,)


def project_gains_section(project_id: int, request: HttpRequest) -> SafeString:
    key = versions.fingerprint("project-gains-section", project_id, get_language())
    return versions.cached_html(SECTION_VERSIONS, key, lambda: _section(project_id))


def _section(project_id: int) -> str:
    summaries = selectors.public_gains(project_id)
    if not summaries:
        return ""
    gains = [{"summary": s, "gain": s.gain, "chart": charts.chart_for(s)} for s in summaries]
    return render_to_string("gains/includes/project_section.html", {"gains": gains})
