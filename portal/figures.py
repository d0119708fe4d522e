"""Live figures: numbers that change far more often than the HTML around them.

An idea's support count changes with every vote, while the page or card that shows it
changes seldom. Were the count part of the cached HTML, each vote would make every
cached idea page, list and card stale at once (five votes a second means every reader
pays for a fresh page). So a template writes such a number as a *live figure*: the
value it was rendered with, marked with its kind, the object's id and the form it is
written in. Whatever cache the HTML then comes from, `LiveFiguresMiddleware`
(portal.middleware) writes the current values into every HTML response on its way out,
read in one lookup per response (which the kind caches under its own version).

By construction, then, a cached page cannot show a stale figure: no view has to
remember to fill them in, and a page cached before the last vote is still right. What
is *ordered* by a figure (the most supported ideas) still depends on it and is cached
under the figure's version as well.

Dependencies run one way: this module knows nothing of ideas; an app registers each kind
(`register`) in its AppConfig.ready().
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.utils.crypto import salted_hmac
from django.utils.safestring import SafeString, mark_safe

# Derived from the secret key, so nobody can write a mark into text that is shown (which
# is escaped anyway), and the same in every process.
_MARK = salted_hmac("portal.figures", "mark").hexdigest()[:20]
_FIGURE = re.compile(rf"<!--{_MARK}:([\w-]+):([\w-]+):(\d+)-->(.*?)<!--/{_MARK}-->", re.DOTALL)
MARK_BYTES = _MARK.encode()

Lookup = Callable[[frozenset[int]], Mapping[int, int]]
Form = Callable[[int], str]


@dataclass(frozen=True)
class Kind:
    # The current values of the objects named, by id (ids it does not know are left out:
    # their figures keep the value they were rendered with).
    lookup: Lookup
    # How a value is written, by form name; the result is HTML (escape what needs it).
    forms: Mapping[str, Form]


_kinds: dict[str, Kind] = {}


def register(name: str, *, lookup: Lookup, forms: Mapping[str, Form]) -> None:
    _kinds[name] = Kind(lookup, dict(forms))


def figure(name: str, form: str, pk: int, value: int) -> SafeString:
    """`value` written in `form`, marked so that responses show the current value."""
    kind = _kinds[name]
    text = kind.forms[form](value)
    return mark_safe(f"<!--{_MARK}:{name}:{form}:{int(pk)}-->{text}<!--/{_MARK}-->")


def fill(html: str) -> str:
    """`html` with every live figure written with its current value, marks removed."""
    found = _FIGURE.findall(html)
    if not found:
        return html
    wanted: dict[str, set[int]] = {}
    for name, _form, pk, _rendered in found:
        wanted.setdefault(name, set()).add(int(pk))
    current = {name: _current(name, pks) for name, pks in wanted.items()}

    def write(match: re.Match[str]) -> str:
        name, form, pk, rendered = match.groups()
        kind = _kinds.get(name)
        value = current.get(name, {}).get(int(pk))
        if kind is None or value is None or form not in kind.forms:
            return rendered
        return kind.forms[form](value)

    return _FIGURE.sub(write, html)


def _current(name: str, pks: set[int]) -> Mapping[int, int]:
    kind = _kinds.get(name)
    return kind.lookup(frozenset(pks)) if kind else {}
