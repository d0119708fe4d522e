"""The HTML the search app renders once and shares between visitors.

Each fragment is cached per process under a key made of what it depends on besides the
data, until a version named beside it changes (`portal.versions`).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from portal import versions

# The index (hits, counts) and the names the facets show.
SEARCH_VERSIONS = (versions.SEARCH, versions.PAGES, versions.LABELS)


def search_content(
    request: HttpRequest,
    render: Callable[[], tuple[str, bool]],
    *,
    municipality_id: int | None = None,
) -> SafeString:
    """The results part of the search page. `render` returns the HTML and whether the
    answer is complete (the search engine answered).

    Results are the same for every anonymous visitor until the index changes or the day
    does (a challenge's status follows its dates); a signed-in person's page is rendered
    for them. An answer given while Elasticsearch was down is not kept.
    """
    if request.user.is_authenticated:
        html, _complete = render()
    else:
        key = versions.fingerprint(
            "search",
            municipality_id,  # a municipality's own hostname searches it alone
            get_language(),
            timezone.localdate(),
            sorted(request.GET.lists()),
        )
        html, _complete = versions.cached(SEARCH_VERSIONS, key, render, keep=lambda v: v[1])
    return mark_safe(html)  # rendered by our own template, escaped there
