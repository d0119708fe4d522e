"""Finds interface text left in the wrong language on a rendered page.

An English page must not show a Norwegian interface string, nor a Norwegian page an
English one. "Interface strings" are the compiled nb catalogues of the named apps: each
msgid is the English, each msgstr the Norwegian. Only phrases (a space, 12 characters or
more, placeholders cut out) are looked for, so that a word shared by content and
interface ("Verksted") cannot make a test fail that should pass.
"""

from __future__ import annotations

import gettext
import html as html_lib
import re
from pathlib import Path

from django.conf import settings

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{[^}]*\}")
SHOWN_ATTRIBUTES = re.compile(r'\s(?:aria-label|title|alt|placeholder|content)="([^"]*)"')
INVISIBLE = re.compile(r"<(script|style)\b.*?</\1>", re.S | re.I)
MIN_PHRASE = 12


def _phrases(text: str) -> list[str]:
    return [
        chunk.strip()
        for chunk in PLACEHOLDER.split(text)
        if len(chunk.strip()) >= MIN_PHRASE and " " in chunk.strip()
    ]


def catalogue_pairs(*apps: str) -> list[tuple[str, str]]:
    """(English, Norwegian) phrase pairs of the apps' nb catalogues, where they differ."""
    pairs = []
    for app in apps:
        mo = Path(settings.BASE_DIR) / app / "locale" / "nb" / "LC_MESSAGES" / "django.mo"
        with mo.open("rb") as handle:
            catalogue = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
        for msgid, msgstr in catalogue.items():
            if not isinstance(msgid, str) or not msgid or "\x04" in msgid or msgid == msgstr:
                continue  # the header, plurals (tuples) and contexts are left out
            english, norwegian = _phrases(msgid), _phrases(msgstr)
            pairs += [(e, "") for e in english] + [("", n) for n in norwegian]
    return pairs


def shown_text(page_html: str) -> str:
    """What a reader (or a screen reader) is given: text and the labelling attributes."""
    visible = INVISIBLE.sub(" ", page_html)
    attributes = " ".join(SHOWN_ATTRIBUTES.findall(visible))
    text = re.sub(r"<[^>]+>", " ", visible) + " " + attributes
    return re.sub(r"\s+", " ", html_lib.unescape(text))


def wrong_language(page_html: str, lang: str, *apps: str, allowed: tuple[str, ...] = ()) -> list:
    """The interface phrases of `apps` on the page in the other language than `lang`."""
    text = shown_text(page_html)
    found = set()
    for english, norwegian in catalogue_pairs(*apps):
        phrase = norwegian if lang == "en" else english
        if phrase and phrase in text and phrase not in allowed:
            found.add(phrase)
    return sorted(found)
