"""Cached figures that are correct, not merely recent.

A figure such as "how many public ideas answer this challenge" is cached under a key
that carries the *version* of what it was computed from. Writing that data bumps the
version, so the next read misses and computes afresh; nothing is ever deleted, old
entries just age out. Two caches take part:

- the **default** cache holds the version numbers. It must be shared by every server
  process (production uses a file-based cache on the host, see the settings), or one
  worker would keep reading figures another worker's write made stale;
- the **local** cache (per process, in memory) holds the figures themselves, keyed by
  version. It can be local because a key with the current version can only hold a
  figure computed after the last write.

A bump happens both at once and when the transaction commits: at once so the writing
request (and a test) never reads its own stale figure, on commit so that a reader who
recomputed between the bump and the commit (still seeing the old rows) cannot leave a
stale figure under the newest version.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, BaseCache, caches
from django.db import transaction
from django.utils.safestring import SafeString, mark_safe

T = TypeVar("T")

# What the versions cover. Which models feed which version is declared once, in
# `portal.invalidation` (each app registers its models in its AppConfig.ready()).
PUBLIC_IDEAS = "public-ideas"  # which ideas are public, and their filterable fields
IDEAS = "ideas"  # anything shown about ideas: comments, authors' names (support: below)
# How many support each idea. Shown as live figures (portal.figures), so a vote makes
# no cached page stale; only what is ordered or chosen by support is cached under it.
SUPPORT = "support"
SEARCH = "search"  # the search index (embedded or Elasticsearch)
PAGES = "pages"  # the page tree: what is published where, restrictions, sites, menus
LABELS = "labels"  # names of themes and units, as filter choices show them
MUNICIPALITIES = "municipalities"  # which municipalities take part (submission asks)
PROJECTS = "projects"  # projects: phases, milestones, units, the ideas they carry on
GAINS = "gains"  # projects' expected gains and their measurements
# One version per person (`person(pk)`): their own row, as request.user reads it
# (portal.auth_backends). Kept beside the sessions, not in the default cache: one per
# person who logged in lately would crowd the default cache's small, hot keys.
_PERSON = "person:"


def person(pk: object) -> str:
    """The name of the version of one person's own row."""
    return f"{_PERSON}{pk}"


_PREFIX = "version:"
# Per process, like "local", but for what is one person's own (their row, their marks
# on an idea page): apart, so that many people cannot crowd out what everyone shares.
PERSONAL_CACHE = "people"
# Long enough that versions survive between bursts of activity; a version that falls out
# of the cache is simply replaced by a new one, which only costs a recomputation.
_VERSION_TTL_SECONDS = 7 * 24 * 60 * 60
LOCAL_TTL_SECONDS = 24 * 60 * 60


def _new_version() -> str:
    return str(time.time_ns())


# The versions read during one request (see `request_scope`): a page asks for the same
# few versions several times, and each read of the shared cache is a file read.
_seen: ContextVar[dict[str, str] | None] = ContextVar("portal_versions_seen", default=None)


@contextmanager
def request_scope() -> Iterator[None]:
    """Read each version at most once until the block ends (one request)."""
    token = _seen.set({})
    try:
        yield
    finally:
        _seen.reset(token)


def _store(name: str) -> BaseCache:
    """Where the version of `name` is kept: shared by every process either way."""
    return caches[_store_alias(name)]


def _store_alias(name: str) -> str:
    return settings.SESSION_CACHE_ALIAS if name.startswith(_PERSON) else DEFAULT_CACHE_ALIAS


def current(name: str) -> str:
    """The version of `name` now (creating one if there is none yet)."""
    seen = _seen.get()
    if seen is not None and name in seen:
        return seen[name]
    key = _PREFIX + name
    store = _store(name)
    version = store.get(key)
    if version is None:
        store.add(key, _new_version(), _VERSION_TTL_SECONDS)
        version = store.get(key) or _new_version()
    if seen is not None:
        seen[name] = version
    return version


def bump(*names: str) -> None:
    """Mark `names` as changed: now, and again when the current transaction commits."""

    def _bump() -> None:
        for alias in {_store_alias(name) for name in names}:
            caches[alias].set_many(
                {_PREFIX + name: _new_version() for name in names if _store_alias(name) == alias},
                _VERSION_TTL_SECONDS,
            )
        seen = _seen.get()
        if seen is not None:  # this request reads its own writes
            for name in names:
                seen.pop(name, None)

    _bump()
    transaction.on_commit(_bump)


def fingerprint(*parts: object) -> str:
    """A short stable digest of `parts` (their repr), for use in cache keys."""
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def cached_html(names: tuple[str, ...], key: str, render: Callable[[], str]) -> SafeString:
    """HTML from `render()`, cached per process until a version in `names` changes.

    For fragments nobody's own: the caller makes sure `render` shows nothing that
    depends on who asks, and puts what else it depends on (language, query, date) in
    `key`.
    """
    return mark_safe(cached(names, key, render))


def cached(
    names: str | tuple[str, ...],
    key: str,
    compute: Callable[[], T],
    keep: Callable[[T], bool] | None = None,
    *,
    cache_alias: str = "local",
) -> T:
    """`compute()`, cached per process until the version of any of `names` changes.

    `keep` may refuse a value (e.g. one computed while a service was down).
    `cache_alias`: a per-process cache (`PERSONAL_CACHE` for what is one person's own).
    """
    names = (names,) if isinstance(names, str) else names
    local = caches[cache_alias]
    stamp = ":".join(f"{name}={current(name)}" for name in names)
    full_key = f"{stamp}:{key}"
    value = local.get(full_key)
    if value is None:
        value = compute()
        if keep is None or keep(value):
            local.set(full_key, value, LOCAL_TTL_SECONDS)
    return value
