"""The HTML co-creation renders for other apps' pages, and where it is cached.

The idea page shows "built on N inputs from M meeting points" with links to the
processes (`ideas.extensions.idea_page_sections`). The section is put into every idea
page on every request, so it is cached here, per idea and language, and costs no query
when warm. Every co-creation table it reads is registered with `portal.invalidation`
under `COCREATION` (cocreation.apps): linking an input to an idea, or publishing or
renaming a process, retires it.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from cocreation import selectors
from portal import versions

# The version every co-creation table feeds (a name in `portal.versions`' scheme).
COCREATION = "cocreation"
SECTION_VERSIONS = (COCREATION,)


def idea_inputs_section(idea_id: int, request: HttpRequest) -> SafeString:
    """ "Built on N inputs from M meeting points" for the idea page, or nothing."""
    key = versions.fingerprint("idea-inputs-section", idea_id, get_language())
    return versions.cached_html(SECTION_VERSIONS, key, lambda: _section(idea_id))


def _section(idea_id: int) -> str:
    built_on = selectors.inputs_of_idea(idea_id)
    if built_on is None:
        return ""
    return render_to_string("cocreation/includes/idea_section.html", {"built_on": built_on})
