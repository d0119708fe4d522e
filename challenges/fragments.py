"""The HTML the challenges app renders once and shares between visitors.

Every fragment here is the same for whoever asks: it is cached under a key made of what
it depends on besides the data (language, query, day) and kept until one of the
versions named beside it changes (`portal.versions`). What is personal is added by the
page around it, never cached with it.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from challenges.models import ChallengeIndexPage
from challenges.selectors import challenge_listing
from portal import versions

# What the challenge index shows: the challenges, their idea counts, theme/unit names.
INDEX_VERSIONS = (versions.PAGES, versions.PUBLIC_IDEAS, versions.LABELS)


def index_content(
    *, index: ChallengeIndexPage, request: HttpRequest, page: ChallengeIndexPage | None = None
) -> SafeString:
    """The challenge index below the menus: rendered once per query, language and day
    (statuses follow the dates). `page` is the page shown when it is a translation of
    `index` (its title and introduction are shown, the original's challenges listed)."""
    page = page or index

    def render() -> str:
        context = {"page": page, **challenge_listing(index=index, params=request.GET)}
        return render_to_string(
            "challenges/includes/challenge_index_content.html", context, request
        )

    key = versions.fingerprint(
        "challenge-index",
        index.pk,
        page.pk,
        get_language(),
        timezone.localdate(),
        sorted(request.GET.lists()),
    )
    return versions.cached_html(INDEX_VERSIONS, key, render)
