"""The HTML the cms app renders once and shares between visitors: the home pages'
sections. Their challenges, ideas and figures come from the apps that own them
(`cms.home`); each fragment is cached until a version named beside it changes
(`portal.versions`)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from wagtail.models import Site

from cms.home import parts
from cms.regional import is_regional, municipality_cards, regional_challenges_url
from portal import versions


def home_page_context(*, home, request) -> dict[str, object]:
    """The home page: the parts below the hero are the same for everyone, so they are
    rendered once and cached until ideas, pages or names change (or the day does:
    challenges open and close by date).

    With several active municipalities it is the regional front page: it introduces
    the collaboration and lists the municipalities above the sections (which then
    span the region)."""
    regional = is_regional()
    # The regional front page leads to the region's challenges, never to an index
    # left below it from single-municipality days (one municipality's challenges).
    challenge_index = None if regional else parts.challenge_index(home)
    challenges_url = regional_challenges_url() if regional else ""

    def render() -> str:
        context: dict[str, object] = {
            "challenge_index": challenge_index,
            "challenges_url": challenges_url,
            "regional": regional,
        }
        if regional:
            context["municipalities"] = municipality_cards()
        for section in parts.sections:
            context.update(section(home))
        context["ranked_sections"] = _RANKED_SECTIONS
        return render_to_string("cms/includes/home_sections.html", context, request)

    def render_ranked() -> str:
        context: dict[str, object] = {}
        for section in parts.ranked_sections:
            context.update(section(home))
        return render_to_string("cms/includes/home_ranked_sections.html", context, request)

    key = versions.fingerprint(
        "home", home.pk, _site_id(request), get_language(), timezone.localdate(), regional
    )
    return {
        "challenge_index": challenge_index,
        "challenges_url": challenges_url,
        "regional": regional,
        "home_sections": _with_ranked(
            versions.cached_html(HOME_VERSIONS, key, render),
            versions.cached_html(RANKED_VERSIONS, "ranked:" + key, render_ranked),
        ),
    }


# Where the sections ordered by support go in the home page's other sections (an HTML
# comment: escaped text cannot contain one).
_RANKED_SECTIONS = mark_safe("<!--cms:ranked-sections-->")


def _with_ranked(sections: str, ranked: str) -> SafeString:
    # Both were rendered, and escaped, by our own templates.
    return mark_safe(sections.replace(_RANKED_SECTIONS, ranked, 1))


def municipality_home_context(*, home, request) -> dict[str, object]:
    """A municipality's home page: its challenges and ideas, cached like the home page's."""
    challenge_index = parts.challenge_index(home)

    def render() -> str:
        context: dict[str, object] = {"challenge_index": challenge_index, "page": home}
        for section in parts.municipality_sections:
            context.update(section(home))
        return render_to_string("cms/includes/municipality_sections.html", context, request)

    # The same page is served on the shared host (`/<slug>/…`) and on the municipality's
    # own hostname (no prefix): its links differ, so each site has its own copy.
    key = versions.fingerprint(
        "municipality-home", home.pk, _site_id(request), get_language(), timezone.localdate()
    )
    return {
        "challenge_index": challenge_index,
        "home_sections": versions.cached_html(HOME_VERSIONS, key, render),
    }


def _site_id(request) -> int | None:
    site = Site.find_for_request(request)
    return site.pk if site else None


# What the home pages' sections show: ideas (lists, figures), challenges, theme names,
# the municipalities taking part. Support counts are live figures (portal.figures).
HOME_VERSIONS = (
    versions.IDEAS,
    versions.PUBLIC_IDEAS,
    versions.PAGES,
    versions.LABELS,
    versions.MUNICIPALITIES,
)
# The sections ordered by support (the most supported ideas): every vote may change them.
RANKED_VERSIONS = (*HOME_VERSIONS, versions.SUPPORT)
