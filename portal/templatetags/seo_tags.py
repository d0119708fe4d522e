"""What a page tells search engines and link previews about itself, in its <head>.

`{% seo_head %}` wraps the page's title block and, optionally, blocks for its
description, share image, Open Graph type and canonical address::

    {% seo_head %}{% block title %}…{% endblock %}
    {% seo_description %}{% block description %}…{% endblock %}
    {% seo_image %}{% block share_image %}…{% endblock %}
    {% seo_type %}{% block og_type %}website{% endblock %}
    {% seo_canonical %}{% block canonical %}{% endblock %}
    {% end_seo_head %}

so a template says what it is about once, by overriding those blocks, and the title,
meta description, canonical link, language alternates, Open Graph and Twitter card tags
all follow from it. Every address is absolute on `PORTAL_BASE_URL`
(`portal.absolute_urls`), never on the host a request happened to name.
"""

from __future__ import annotations

import html

from django import template
from django.conf import settings
from django.http import HttpRequest
from django.template.base import Parser, Token
from django.template.loader import render_to_string
from django.utils.html import strip_tags
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from portal.absolute_urls import (
    absolute_url,
    language_alternates,
    language_neutral_path,
    page_language_paths,
    path_in_language,
)

register = template.Library()

SECTIONS = ("seo_description", "seo_image", "seo_type", "seo_canonical")
END = "end_seo_head"

# Open Graph wants a territory with the language.
OG_LOCALES = {"nb": "nb_NO", "en": "en_GB"}

# Search engines show about this much of a description.
DESCRIPTION_MAX_LENGTH = 300


def _page_number(request: HttpRequest) -> int | None:
    """The list page asked for, when it is a real one past the first."""
    raw = request.GET.get("page", "")
    if raw.isdigit() and int(raw) > 1:
        return int(raw)
    return None


def canonical_path(request: HttpRequest, override: str = "") -> str:
    """The language-neutral address this page is the canonical form of.

    Filters and sort orders show the same things in another order or subset, so they
    are left out; the page number of a list is kept, because page 2 shows other
    items than page 1. A template may name the address itself (`override`).
    """
    if override:
        return language_neutral_path(override)
    path = language_neutral_path(request.path)
    number = _page_number(request)
    return f"{path}?page={number}" if number else path


def _text(rendered: str) -> str:
    """A block's output as plain text: tags stripped, entities decoded, spaces collapsed.

    The block's output is already escaped; it is unescaped here and escaped once more
    when the tags are rendered, so "&" is never shown as "&amp;amp;".
    """
    return " ".join(html.unescape(strip_tags(rendered)).split())


def _shorten(text: str, limit: int = DESCRIPTION_MAX_LENGTH) -> str:
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,.;:") + "…"


class SeoHeadNode(template.Node):
    child_nodelists = ("title", *SECTIONS)

    def __init__(self, sections: dict[str, template.NodeList]) -> None:
        self.title = sections["title"]
        for name in SECTIONS:
            setattr(self, name, sections.get(name, template.NodeList()))

    def render(self, context: template.Context) -> SafeString:
        request: HttpRequest | None = context.get("request")
        site_name = settings.WAGTAIL_SITE_NAME
        title = _text(self.title.render(context))
        description = _shorten(_text(self.seo_description.render(context)))
        if not description:
            description = _(
                "Ideas and challenges in %(municipality)s: submit an idea, support others' "
                "and follow what the municipality does with them."
            ) % {"municipality": settings.PORTAL_MUNICIPALITY_NAME}
        image = _text(self.seo_image.render(context))
        og_type = _text(self.seo_type.render(context)) or "website"
        override = _text(self.seo_canonical.render(context))
        path = canonical_path(request, override) if request is not None else "/"
        language = get_language() or settings.LANGUAGE_CODE
        canonical = absolute_url(path_in_language(path, language))
        return render_to_string(
            "portal/includes/seo_head.html",
            {
                "title": title,
                # The front page is often called what the site is called.
                "full_title": f"{title} – {site_name}"
                if title not in ("", site_name)
                else site_name,
                "site_name": site_name,
                "description": description,
                "canonical": canonical,
                "alternates": language_alternates(
                    path, page_language_paths(context.get("page"), request)
                ),
                "og_type": og_type,
                "og_locale": OG_LOCALES.get(language, language),
                "og_locale_alternates": [
                    OG_LOCALES.get(code, code)
                    for code, _name in settings.LANGUAGES
                    if code != language
                ],
                "image": absolute_url(image) if image else "",
            },
        )


@register.tag("seo_head")
def do_seo_head(parser: Parser, token: Token) -> SeoHeadNode:
    sections: dict[str, template.NodeList] = {}
    current = "title"
    while True:
        sections[current] = parser.parse((*SECTIONS, END))
        next_token = parser.next_token()
        name = next_token.contents.strip()
        if name == END:
            return SeoHeadNode(sections)
        if name in sections:
            raise template.TemplateSyntaxError(f"{{% {name} %}} appears twice in seo_head")
        current = name
