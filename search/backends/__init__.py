"""Search backends behind one interface, chosen by settings.

`get_backend()` returns the Elasticsearch backend when `ELASTICSEARCH_URL` is set and the
embedded database backend otherwise. `get_public_backend()` is what public pages use: it
falls back to the embedded backend (and says so) when Elasticsearch cannot answer.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.core.cache import cache

from search.backends.base import SearchBackend, SearchUnavailable

logger = logging.getLogger(__name__)


def get_backend() -> SearchBackend:
    url = getattr(settings, "ELASTICSEARCH_URL", "")
    if url:
        from search.backends.elasticsearch import ElasticsearchBackend

        return ElasticsearchBackend.for_url(url)
    return get_database_backend()


def get_database_backend() -> SearchBackend:
    from search.backends.database import DatabaseBackend

    return DatabaseBackend()


def search_with_fallback(**kwargs):
    """Search with the configured backend; on failure, the embedded one.

    Returns (results, fell_back). The error is logged; callers show a notice.
    """
    return _with_fallback(lambda backend: backend.search(**kwargs), "search")


def suggest_with_fallback(prefix: str, limit: int = 8, *, municipality: str | None = None):
    """Suggestions from the configured backend; on failure, the embedded one's. Only
    the municipality's (by slug) when given."""
    return _with_fallback(
        lambda backend: backend.suggest(prefix, limit, municipality=municipality), "suggestions"
    )


# --- When the engine is down --------------------------------------------------------------
#
# A search engine that is down or hung costs every visitor a timeout before the embedded
# answer. After a failure, the engine is left alone for PORTAL_SEARCH_ENGINE_PAUSE_SECONDS
# and the embedded backend answers at once (with the same notice); then one request
# tries the engine again. The mark lives in the shared cache, so every worker and host
# pauses together. (A circuit-breaker library keeps its state per process or needs its
# own Redis client; this is one cache key.)

ENGINE_DOWN_KEY = "search:engine-down-until"


def _with_fallback(run, what: str):
    backend = get_backend()
    if backend.name == "database":
        return run(backend), False
    if _engine_paused():
        return run(get_database_backend()), True
    try:
        return run(backend), False
    except SearchUnavailable:
        logger.warning("Search engine unavailable for %s; using the database", what, exc_info=True)
        _pause_engine()
        return run(get_database_backend()), True


def _engine_paused() -> bool:
    until = cache.get(ENGINE_DOWN_KEY)
    return until is not None and time.time() < until


def _pause_engine() -> None:
    seconds = getattr(settings, "PORTAL_SEARCH_ENGINE_PAUSE_SECONDS", 30)
    if seconds > 0:
        cache.set(ENGINE_DOWN_KEY, time.time() + seconds, timeout=seconds + 60)
