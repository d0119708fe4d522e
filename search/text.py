"""Norwegian text handling for the embedded search backend.

The embedded backend stems words itself before they reach the database (both when
indexing and when querying): SQLite has no Norwegian stemmer, and PostgreSQL then stores
the same stems (`simple` configuration), so both match the same words. The stemmer is
the Snowball Norwegian algorithm, the same one PostgreSQL's `norwegian` configuration and
Elasticsearch's `norwegian` stemmer use, so highlights computed here agree with what
those engines match.
The algorithm comes from the Snowball project itself (PyStemmer wraps its C library); only
the stop words are ours.
"""

from __future__ import annotations

import itertools
import re
import threading
from collections.abc import Iterable

import Stemmer
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WORD_RE = re.compile(r"\w+", re.UNICODE)

# Snowball's Norwegian stop words.
STOP_WORDS = frozenset(
    [
        "og",
        "i",
        "jeg",
        "det",
        "at",
        "en",
        "et",
        "den",
        "til",
        "er",
        "som",
        "på",
        "de",
        "med",
        "han",
        "av",
        "ikke",
        "ikkje",
        "der",
        "så",
        "var",
        "meg",
        "seg",
        "men",
        "ett",
        "har",
        "om",
        "vi",
        "min",
        "mitt",
        "ha",
        "hadde",
        "hun",
        "nå",
        "over",
        "da",
        "ved",
        "fra",
        "du",
        "ut",
        "sin",
        "dem",
        "oss",
        "opp",
        "man",
        "kan",
        "hans",
        "hvor",
        "eller",
        "hva",
        "skal",
        "selv",
        "sjøl",
        "her",
        "alle",
        "vil",
        "bli",
        "ble",
        "blei",
        "blitt",
        "kunne",
        "inn",
        "når",
        "være",
        "kom",
        "noen",
        "noe",
        "ville",
        "dere",
        "deres",
        "kun",
        "ja",
        "etter",
        "ned",
        "skulle",
        "denne",
        "for",
        "deg",
        "si",
        "sine",
        "sitt",
        "mot",
        "å",
        "meget",
        "hvorfor",
        "dette",
        "disse",
        "uten",
        "hvordan",
        "ingen",
        "din",
        "ditt",
        "blir",
        "samme",
        "hvilken",
        "hvilke",
        "sånn",
        "inni",
        "mellom",
        "vår",
        "hver",
        "hvem",
        "vors",
        "hvis",
        "både",
        "bare",
        "enn",
        "fordi",
        "før",
        "mange",
        "også",
        "slik",
        "vært",
        "båe",
        "begge",
        "siden",
        "dykk",
        "dykkar",
        "dei",
        "deira",
        "deires",
        "deim",
        "di",
        "då",
        "eg",
        "ein",
        "eit",
        "eitt",
        "elles",
        "honom",
        "hjå",
        "ho",
        "hoe",
        "henne",
        "hennar",
        "hennes",
        "hoss",
        "hossen",
        "ingi",
        "inkje",
        "korleis",
        "korso",
        "kva",
        "kvar",
        "kvarhelst",
        "kven",
        "kvi",
        "kvifor",
        "me",
        "medan",
        "mi",
        "mine",
        "mykje",
        "no",
        "nokon",
        "noka",
        "nokor",
        "noko",
        "nokre",
        "sia",
        "sidan",
        "so",
        "somt",
        "somme",
        "um",
        "upp",
        "vere",
        "vore",
        "verte",
        "vort",
        "varte",
        "vart",
    ]
)


# A PyStemmer object keeps a small cache and is not safe to share between threads.
_stemmers = threading.local()


def stem(word: str) -> str:
    """Snowball Norwegian stem of one lower-case word."""
    stemmer = getattr(_stemmers, "norwegian", None)
    if stemmer is None:
        stemmer = _stemmers.norwegian = Stemmer.Stemmer("norwegian", 20_000)
    return stemmer.stemWord(word)


def words(text: str) -> list[str]:
    return [w.lower() for w in WORD_RE.findall(text or "")]


def terms(text: str) -> list[str]:
    """Stems of the meaningful words in `text`, in order, without stop words."""
    return [stem(w) for w in words(text) if w not in STOP_WORDS]


def mentions(text: str, query_terms: set[str]) -> bool:
    """Whether `text` has a word whose stem is in `query_terms` (stops at the first)."""
    return any(stem(w) in query_terms for w in words(text) if w not in STOP_WORDS)


def stemmed_text(text: str) -> str:
    """The text as the FTS5 table stores it: one stem per word, stop words dropped."""
    return " ".join(terms(text))


def highlight(text: str, query_terms: set[str], *, length: int = 220) -> SafeString:
    """An escaped snippet of `text` around the first match, matches wrapped in <mark>.

    Every character of `text` is escaped before markup is added, so user content can
    never inject HTML.
    """
    text = text or ""
    # Lazily: only words up to the end of the snippet are ever stemmed.
    matches = (
        m for m in WORD_RE.finditer(text) if query_terms and stem(m.group().lower()) in query_terms
    )
    first = next(matches, None)
    start, end = _snippet_bounds(text, first, length)
    found = itertools.chain([first] if first is not None else [], matches)
    snippet = _marked(text, found, start, end)
    if start > 0:
        snippet = "… " + snippet
    if end < len(text):
        snippet += " …"
    return mark_safe(snippet)  # built from escaped pieces (`_marked`)


def _snippet_bounds(text: str, first: re.Match | None, length: int) -> tuple[int, int]:
    """Where a snippet of about `length` characters starts and ends: a third of it before
    the first match (at the start without one), both ends at word boundaries."""
    start = 0
    if first is not None:
        start = max(0, first.start() - length // 3)
        if start:
            space = text.rfind(" ", 0, start)
            start = space + 1 if space != -1 else 0
    end = min(len(text), start + length)
    if end < len(text):
        space = text.rfind(" ", start, end)
        if space > start:
            end = space
    return start, end


def _marked(text: str, matches: Iterable[re.Match], start: int, end: int) -> str:
    """`text[start:end]` escaped, with the `matches` (in order) inside it in <mark>."""
    parts = []
    cursor = start
    for m in matches:
        if m.start() >= end:
            break
        if m.end() > end:
            continue
        parts.append(escape(text[cursor : m.start()]))
        parts.append(f"<mark>{escape(m.group())}</mark>")
        cursor = m.end()
    parts.append(escape(text[cursor:end]))
    return "".join(parts)


def marked_to_html(fragment: str, pre: str, post: str) -> SafeString:
    """Escape an engine's highlight fragment, then turn its markers into <mark>."""
    escaped = escape(fragment)
    return mark_safe(escaped.replace(escape(pre), "<mark>").replace(escape(post), "</mark>"))
