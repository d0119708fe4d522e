"""The HTML the cms app renders once and shares between visitors: the home page's
sections. Their challenges, ideas and figures come from the apps that own them
(`cms.home`); each fragment is cached until a version named beside it changes
(`portal.versions`)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language

from cms.home import parts
from portal import versions


def home_page_context(*, home, request) -> dict[str, object]:
    """The home page: the parts below the hero are the same for everyone, so they are
    rendered once and cached until ideas, pages or names change (or the day does:
    challenges open and close by date)."""
    challenge_index = parts.challenge_index()

    def render() -> str:
        context: dict[str, object] = {"challenge_index": challenge_index}
        for section in parts.sections:
            context.update(section(home))
        return render_to_string("cms/includes/home_sections.html", context, request)

    key = versions.fingerprint("home", home.pk, get_language(), timezone.localdate())
    return {
        "challenge_index": challenge_index,
        "home_sections": versions.cached_html(HOME_VERSIONS, key, render),
    }


# What the home page's sections show: ideas (lists, figures), challenges, theme names.
HOME_VERSIONS = (versions.IDEAS, versions.PUBLIC_IDEAS, versions.PAGES, versions.LABELS)
